/** Saving a file the server sent: the name from Content-Disposition, the bytes through a temporary object URL. */

/** Drops path separators and control characters, so a header cannot steer where or how the file is saved. */
function safeName(name: string): string {
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim();
  return cleaned === '.' || cleaned === '..' ? '' : cleaned;
}

/**
 * The file name from a Content-Disposition header, preferring RFC 5987 `filename*=UTF-8''…`
 * (how non-ASCII names such as 客户清单.xlsx arrive) over the plain `filename="…"`.
 */
export function filenameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (star?.[1]) {
    const raw = star[1].trim().replace(/^"(.*)"$/, '$1');
    const m = /^([\w-]*)'[^']*'(.*)$/.exec(raw);
    const encoded = m ? (m[2] ?? '') : raw;
    try {
      const name = safeName(decodeURIComponent(encoded));
      if (name) return name;
    } catch {
      // a malformed escape: fall through to the plain filename
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (plain) {
    const value = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : (plain[1] ?? '');
    const name = safeName(value);
    if (name) return name;
  }
  return null;
}

/** Saves a blob under a file name: a temporary object URL clicked through a hidden <a download>. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    // Revoked a moment later: some browsers start reading the URL only after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
