import { chatHandlers } from './chat.js';
import { consultationHandlers } from './consultation.js';
import { deviceHandlers } from './devices.js';
import { mediaHandlers } from './media.js';
import { mediasoupHandlers } from './mediasoup.js';
import { participantHandlers } from './participants.js';
import { qualityHandlers } from './quality.js';
import { sessionHandlers } from './session.js';
import type { HandlerTable } from './types.js';
import { waitingRoomHandlers } from './waiting-room.js';

/** Every client event's domain handler, by event name (the dispatcher looks them up here). */
export const handlers: HandlerTable = {
  ...sessionHandlers,
  ...consultationHandlers,
  ...waitingRoomHandlers,
  ...participantHandlers,
  ...chatHandlers,
  ...mediaHandlers,
  ...deviceHandlers,
  ...qualityHandlers,
  ...mediasoupHandlers,
};
