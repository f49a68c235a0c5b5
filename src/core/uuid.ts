/** RFC 4122 v4 id for idempotency keys; uses the platform's crypto where it exists (browsers, Node, RN with a polyfill). */
export function randomId(): string {
  const cryptoApi = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (cryptoApi?.randomUUID) return cryptoApi.randomUUID();
  // Fallback (old React Native): not cryptographic, only needs to be unique per client.
  let id = '';
  for (let i = 0; i < 32; i++) {
    const nibble = i === 12 ? 4 : i === 16 ? (Math.random() * 4) | 8 : (Math.random() * 16) | 0;
    id += nibble.toString(16);
    if (i === 7 || i === 11 || i === 15 || i === 19) id += '-';
  }
  return id;
}
