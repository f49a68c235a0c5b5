import { asExtension, defineNamespace, events, pick } from '../define.js';
import { mediaEvents } from '../events/media.js';
import { mediasoupEvents } from '../events/mediasoup.js';
import { participantEvents } from '../events/participants.js';
import { sessionEvents } from '../events/session.js';

/** `/mediasoup`: WebRTC signalling by ack, plus the test server's producer-discovery extensions. */
export const mediasoupNamespace = defineNamespace({
  name: '/mediasoup',
  handshake: ['consultationId', 'userId'],
  events: events(
    pick(sessionEvents, 'connect', 'disconnect', 'reconnect', 'connect_error', 'server_features'),
    {
      error: asExtension(sessionEvents.error, 'The reference mediasoup gateway emits `error { event, message }` when a handler fails.'),
      exception: asExtension(
        sessionEvents.exception,
        'The reference mediasoup gateway also emits `exception { status, message }` (and no ack) when a handler fails.',
      ),
    },
    pick(
      mediasoupEvents,
      'getRouterCapabilities',
      'createTransport',
      'connectTransport',
      'produce',
      'consume',
      'closeTransport',
      'getProducers',
      'newProducer',
      'producerClosed',
      'producerPaused',
      'pauseProducer',
      'resumeProducer',
      'closeProducer',
      'restartIce',
    ),
    pick(
      mediaEvents,
      'media_session_ready',
      'media_session_live',
      'media_session_initialized',
      'media_session_closed',
      'media_permission_status',
      'media_permission_status_update',
      'media_permission_denied',
      'media_permission_denied_notification',
      'collect_stats',
      'connection_quality_update',
      'client_error',
      'client_reconnect',
      'mediaAction',
    ),
    pick(participantEvents, 'invite_participant_email', 'join_via_invite', 'participant_invited', 'participant_joined'),
  ),
});
