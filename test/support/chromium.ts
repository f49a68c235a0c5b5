/** Debian's Chromium as the tests and benchmarks launch it (see shared notes: media-testing.md). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless on a closed network: no background traffic, no sandbox (root), no GPU. */
export const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Plus fake camera and microphone, granted without a prompt, and autoplay. */
export const MEDIA_ARGS = [
  ...BASE_ARGS,
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];
