import type { MediasoupNamespace } from '../contract/index.js';
import { Channel } from '../core/channel.js';

/** `/mediasoup`: signalling by ack; the media manager (`src/media`) drives it. */
export class MediasoupService extends Channel<MediasoupNamespace> {}
