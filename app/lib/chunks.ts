// Databases cap the parameters of one query (Prisma's SQLite driver at 999 here): large `IN` lists are
// queried in chunks.
export const IN_CHUNK = 500;

export async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>, size = IN_CHUNK): Promise<T[]> {
  const unique = [...new Set(ids)];
  const results: T[] = [];
  for (let start = 0; start < unique.length; start += size) results.push(...(await query(unique.slice(start, start + size))));
  return results;
}

/** The same chunks, for writes (updateMany by id lists) and counts. */
export function chunked<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
