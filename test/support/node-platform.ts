// Tests import the SDK's sources, not its Node entry: their connections get Node's platform as that entry's do.
import { nodePlatform } from '../../src/core/socketio/node-platform.js';
import { useNodePlatform } from '../../src/core/socketio/platform.js';

useNodePlatform(nodePlatform);
