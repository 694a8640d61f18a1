-- CreateTable
CREATE TABLE "CopySpend" (
    "shop" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "spentMicros" INTEGER NOT NULL DEFAULT 0,
    "calls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CopySpend_pkey" PRIMARY KEY ("shop","month")
);

