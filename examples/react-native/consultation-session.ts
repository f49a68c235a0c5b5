/**
 * A consultation session in a React Native app: chat, video over mediasoup-client, and the app's
 * background/foreground transitions.
 *
 * - `registerGlobals()` from react-native-webrtc installs the WebRTC globals (RTCPeerConnection,
 *   MediaStream, `navigator.mediaDevices`) mediasoup-client and the SDK's media manager use. Call it
 *   once, before the first session (e.g. in index.js); calling it again is harmless.
 * - mediasoup-client cannot detect React Native: the handler is named, `ReactNative106` (Unified
 *   Plan, react-native-webrtc >= 106).
 * - `transports: ['websocket']`: React Native has WebSocket but no reliable long-polling XHR
 *   (no cookies/stickiness, aborted requests in the background), so Engine.IO goes straight to
 *   WebSocket.
 * - AppState: in the background the OS suspends the JS thread and kills sockets at will; the
 *   session pauses the connection (`client.pause()` keeps queued emits) and resumes it when the app
 *   is active again; a missed-message refill (chat history) and the media rebuild follow the resume.
 */
import { AppState, type AppStateStatus } from 'react-native';
import { registerGlobals } from 'react-native-webrtc';
import { createHcwClient, type HcwClient, type HcwClientOptions } from 'hcw-realtime-sdk';
import { ChatStore } from 'hcw-realtime-sdk/state';
import { createMediaManager, type MediaManager } from 'hcw-realtime-sdk/media';

export interface ConsultationSession {
  readonly client: HcwClient;
  readonly chat: ChatStore;
  readonly media: MediaManager;
  /** Joins the media room and publishes the microphone and the camera. */
  startCall(): Promise<void>;
  /** Removes the AppState listener and releases everything (camera, microphone, sockets). */
  stop(): Promise<void>;
}

export interface ConsultationSessionOptions {
  /**
   * Pause the connection in the background. Default true. Set it to false while a call must go on
   * in the background (iOS `voip`/`audio` background modes, an Android foreground service).
   */
  pauseInBackground?: boolean;
}

/**
 * Starts a session. In a component: `useEffect(() => { const s = startConsultationSession(...);
 * return () => void s.stop(); }, [consultationId])`; render remote tracks with react-native-webrtc's
 * `<RTCView streamURL={new MediaStream([track]).toURL()} />`.
 */
export function startConsultationSession(
  options: Omit<HcwClientOptions, 'transports' | 'watchNetwork'>,
  { pauseInBackground = true }: ConsultationSessionOptions = {},
): ConsultationSession {
  registerGlobals();
  const client = createHcwClient({
    ...options,
    transports: ['websocket'],
    // No `window` `online` event in React Native (use @react-native-community/netinfo and call
    // client.reconnect() if you want an immediate retry when the network comes back).
    watchNetwork: false,
  });
  const chat = new ChatStore(client.chat, client.identity);
  const media = createMediaManager(client, {
    handlerName: 'ReactNative106',
    // Mobile cameras cannot be opened twice: close the front camera before opening the back one.
    stopTrackBeforeSwitch: true,
  });

  let appState: AppStateStatus = AppState.currentState;
  const appStateSubscription = AppState.addEventListener('change', (next) => {
    if (pauseInBackground && next === 'background' && appState !== 'background') client.pause();
    if (next === 'active' && appState === 'background' && pauseInBackground) client.resume();
    appState = next;
  });

  return {
    client,
    chat,
    media,
    async startCall() {
      await media.join();
      await media.startMicrophone();
      await media.startCamera();
    },
    async stop() {
      appStateSubscription.remove();
      await media.dispose();
      chat.dispose();
      client.dispose();
    },
  };
}
