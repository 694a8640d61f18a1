import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

// authenticate.webhook loads the shop's offline session on every delivery; through Prisma that is
// the most expensive step of a webhook acknowledgement. Lookups are cached briefly and dropped on any
// write through this storage. Sessions deleted elsewhere (app/uninstalled in a worker) may be served
// for up to `ttlMs`; a revoked token then fails its Admin API call and Shopify re-authenticates.
export class CachedSessionStorage implements SessionStorage {
  private readonly cache = new Map<string, { session: Session | undefined; expires: number }>();

  constructor(
    private readonly inner: SessionStorage,
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async loadSession(id: string): Promise<Session | undefined> {
    const cached = this.cache.get(id);
    if (cached && cached.expires > this.now()) return cached.session;
    const session = await this.inner.loadSession(id);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { session, expires: this.now() + this.ttlMs });
    return session;
  }

  async storeSession(session: Session): Promise<boolean> {
    this.cache.delete(session.id);
    return this.inner.storeSession(session);
  }

  async deleteSession(id: string): Promise<boolean> {
    this.cache.delete(id);
    return this.inner.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.cache.delete(id);
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }
}
