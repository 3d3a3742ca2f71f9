const SECRET_PARAMS = ['code', 'state', 'token', 'access_token', 'refresh_token', 'code_verifier'];

/** A request URL fit for logs: the values of credential-like query parameters are hidden. */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const params = new URLSearchParams(url.slice(mark + 1));
  for (const name of SECRET_PARAMS) if (params.has(name)) params.set(name, 'redacted');
  return `${url.slice(0, mark)}?${params.toString()}`;
}
