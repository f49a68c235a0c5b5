import type { MediasoupNamespace } from '../contract/index.js';
import { NamespaceService } from './service.js';

/** `/mediasoup`: signalling by ack; the media manager (`src/media`) drives it. */
export class MediasoupService extends NamespaceService<MediasoupNamespace> {}
