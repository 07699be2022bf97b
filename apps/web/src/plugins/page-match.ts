/**
 * The page of a plugin for a path under its mount: an exact key first (`imports`), else a pattern
 * whose `:name` segments take any one segment (`imports/:id`), their values given as params.
 */
export function matchPage<P>(pages: Record<string, P> | undefined, path: string): { page: P; params: Record<string, string> } | null {
  if (!pages) return null;
  if (pages[path]) return { page: pages[path], params: {} };
  const segments = path.split('/');
  for (const [pattern, page] of Object.entries(pages)) {
    const parts = pattern.split('/');
    if (parts.length !== segments.length || !parts.some((part) => part.startsWith(':'))) continue;
    const params: Record<string, string> = {};
    const fits = parts.every((part, index) => {
      if (!part.startsWith(':')) return part === segments[index];
      if (!segments[index]) return false;
      params[part.slice(1)] = decodeURIComponent(segments[index]!);
      return true;
    });
    if (fits) return { page, params };
  }
  return null;
}
