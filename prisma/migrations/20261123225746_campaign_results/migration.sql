-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "angle" TEXT NOT NULL,
    "opportunityId" TEXT,
    "title" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'suggested',
    "audienceSize" INTEGER NOT NULL DEFAULT 0,
    "predictedRevenue" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "plan" TEXT NOT NULL DEFAULT '{}',
    "currentVersionId" TEXT,
    "scheduledAt" DATETIME,
    "results" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Campaign" ("angle", "audienceSize", "createdAt", "currency", "currentVersionId", "id", "kind", "opportunityId", "plan", "predictedRevenue", "reason", "scheduledAt", "shop", "status", "title", "updatedAt") SELECT "angle", "audienceSize", "createdAt", "currency", "currentVersionId", "id", "kind", "opportunityId", "plan", "predictedRevenue", "reason", "scheduledAt", "shop", "status", "title", "updatedAt" FROM "Campaign";
DROP TABLE "Campaign";
ALTER TABLE "new_Campaign" RENAME TO "Campaign";
CREATE INDEX "Campaign_shop_status_createdAt_idx" ON "Campaign"("shop", "status", "createdAt");
CREATE INDEX "Campaign_shop_kind_idx" ON "Campaign"("shop", "kind");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

