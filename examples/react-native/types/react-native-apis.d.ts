/**
 * Ambient declarations of exactly the React Native APIs this example uses, so it type-checks in
 * this repository without installing React Native (react-native-webrtc declares `react-native` as
 * a peer dependency: `npm install -D react-native-webrtc` adds ~600 packages). Copied from the real
 * declarations:
 *   - react-native `Libraries/AppState/AppState.d.ts` and `Libraries/EventEmitter/RCTNativeAppEventEmitter.d.ts`
 *   - react-native-webrtc 124 `lib/typescript/index.d.ts` (`registerGlobals`)
 * In an app, delete this file: the packages bring their own types.
 */
declare module 'react-native' {
  export type AppStateEvent = 'change' | 'memoryWarning' | 'blur' | 'focus';
  export type AppStateStatus = 'active' | 'background' | 'inactive' | 'unknown' | 'extension';
  export interface NativeEventSubscription {
    /** Call this method to un-subscribe from a native-event. */
    remove(): void;
  }
  export interface AppStateStatic {
    currentState: AppStateStatus;
    isAvailable: boolean;
    addEventListener(type: AppStateEvent, listener: (state: AppStateStatus) => void): NativeEventSubscription;
  }
  export const AppState: AppStateStatic;
  export type AppState = AppStateStatic;
}

declare module 'react-native-webrtc' {
  /** Installs RTCPeerConnection, MediaStream, navigator.mediaDevices, ... as globals (what mediasoup-client uses). */
  export function registerGlobals(): void;
}
