/**
 * The output allow-list's globs as anchored regular expressions: `*` and `?` never cross a `/`,
 * `**` spans whole segments (also none), everything else is literal. A leading dot is not special.
 */
export function globToRegExp(glob: string): RegExp {
  const segments = glob.split('/');
  let source = '';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') {
      // `a/**/b` matches a/b and a/x/y/b; a trailing `**` matches everything below.
      source += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    for (const ch of segment) {
      if (ch === '*') source += '[^/]*';
      else if (ch === '?') source += '[^/]';
      else source += ch.replace(/[.+^${}()|[\]\\-]/g, '\\$&');
    }
    if (!last) source += '/';
  });
  return new RegExp(`^${source}$`);
}

export function compileAllowList(globs: readonly string[]): (path: string) => boolean {
  const patterns = globs.map(globToRegExp);
  // Deny by default: an empty allow-list matches nothing.
  return (path) => patterns.some((p) => p.test(path));
}
