// SQLite faults with the real mechanisms:
// - "database is locked": another connection holds the write lock (BEGIN IMMEDIATE) for longer than
//   the app's busy_timeout, as a backup script, a migration or an operator's sqlite3 shell can;
// - "database or disk is full" (SQLITE_FULL): the database lives on a small tmpfs mounted for the
//   test, which a ballast file then fills; deleting the ballast gives the space back. Mounting needs
//   root (CAP_SYS_ADMIN); without it the test fails with that reason, it does not skip.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

export interface HeldLock {
  release(): void;
}

/** Takes the database's write lock from a second connection and keeps it until released. */
export function holdWriteLock(file: string): HeldLock {
  const connection = new Database(file, { timeout: 10_000 });
  connection.exec("BEGIN IMMEDIATE");
  return {
    release() {
      if (!connection.open) return;
      connection.exec("ROLLBACK");
      connection.close();
    },
  };
}

export interface SmallVolume {
  dir: string;
  /** Fills the file system to the last byte with a ballast file. */
  fill(): void;
  /** Deletes the ballast: the space is back. */
  free(): void;
  /** Bytes still free. */
  available(): number;
  unmount(): void;
}

/** Mounts a tmpfs of `sizeBytes` and copies `databaseFile` (a migrated template) into it. */
export function mountSmallVolume(sizeBytes: number, databaseFile?: string): SmallVolume & { databaseFile: string } {
  const dir = mkdtempSync(join(tmpdir(), "cp-full-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes}`, "tmpfs", dir], { stdio: "pipe" });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = error instanceof Error && "stderr" in error ? String((error as { stderr: Buffer }).stderr) : String(error);
    throw new Error(`the disk-full scenario mounts a small tmpfs and needs root (CAP_SYS_ADMIN): mount failed: ${detail.trim()}`);
  }
  const target = join(dir, "app.sqlite");
  if (databaseFile) copyFileSync(databaseFile, target);
  const ballast = join(dir, "ballast");
  let ballastParts = 0;
  return {
    dir,
    databaseFile: target,
    fill() {
      // tmpfs counts pages; write chunks until the file system says no.
      const chunk = Buffer.alloc(64 * 1024, 1);
      for (;;) {
        try {
          writeFileSync(`${ballast}.${ballastParts++}`, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOSPC") break;
          throw error;
        }
      }
      // The last, partial chunk: fill the remaining bytes one page at a time.
      const page = Buffer.alloc(4096, 1);
      for (;;) {
        try {
          writeFileSync(`${ballast}.${ballastParts++}`, page);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOSPC") break;
          throw error;
        }
      }
    },
    free() {
      for (let part = 0; part < ballastParts; part++) rmSync(`${ballast}.${part}`, { force: true });
      ballastParts = 0;
    },
    available() {
      const stats = statfsSync(dir);
      return stats.bavail * stats.bsize;
    },
    unmount() {
      try {
        execFileSync("umount", ["-l", dir], { stdio: "pipe" });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

