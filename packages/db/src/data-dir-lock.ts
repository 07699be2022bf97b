import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data folder ${dataDir} is in use by process ${pid}; stop that server, or run the CLI beside it (it talks to the running server)`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLockOwner(dataDir: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(path.join(dataDir, 'rapport.lock'), 'utf8'), 10);
    return Number.isFinite(pid) && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * One process owns a PGlite data folder: PGlite has a single connection and no shared memory,
 * so a second process opening the same files would corrupt them. A lock file holding the owner's
 * pid guards it; a lock left by a dead process (kill -9) is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'rapport.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readLockOwner(dataDir);
      if (owner !== null && owner !== process.pid) throw new DataDirLockedError(dataDir, owner);
      // Stale: its process is gone. Remove and retry; `wx` keeps two racing takers from both winning.
      try {
        fs.unlinkSync(lockPath);
      } catch {
        /* another process removed it first */
      }
    }
  }
  throw new Error(`could not lock the data folder ${dataDir}`);
}
