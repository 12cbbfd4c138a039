// Links into the Temporal Web UI.

/** The Web UI's base URL: TEMPORAL_UI_URL, or the dev server's default for a local address. */
export function webUiBase(address: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TEMPORAL_UI_URL) return env.TEMPORAL_UI_URL.replace(/\/+$/, '');
  const [host, port] = address.split(':');
  if (['127.0.0.1', 'localhost'].includes(host) && port === '7233') return 'http://127.0.0.1:8233';
  return undefined;
}

export function workflowUrl(base: string, namespace: string, workflowId: string): string {
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
