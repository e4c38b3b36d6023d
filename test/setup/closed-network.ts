// Tests reach only this machine: outbound HTTP to any other host fails loudly instead of
// silently depending on the network (external systems are stood in for by local replay servers).
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`closed network in tests: refused request to ${url.host}`);
  }
  return realFetch(input, init);
};
