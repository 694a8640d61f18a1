-- CreateTable
CREATE TABLE "FlowEnrolment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "customerId" TEXT,
    "opportunityId" TEXT NOT NULL,
    "anchorAt" DATETIME NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',
    "enrolledAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "FlowEnrolment_shop_opportunityId_idx" ON "FlowEnrolment"("shop", "opportunityId");

-- CreateIndex
CREATE INDEX "FlowEnrolment_shop_flow_enrolledAt_idx" ON "FlowEnrolment"("shop", "flow", "enrolledAt");

-- CreateIndex
CREATE INDEX "FlowEnrolment_shop_customerId_idx" ON "FlowEnrolment"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "FlowEnrolment_shop_flow_key_key" ON "FlowEnrolment"("shop", "flow", "key");

