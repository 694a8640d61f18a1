import { hashSeed } from "~/lib/hash-seed";

// Who is held back from a campaign, at random but reproducibly: the same campaign and address always
// land on the same side, and a larger share keeps everyone a smaller one held back (so changing the
// share before sending only adds or releases people at the margin).

export function isHeldOut(campaignId: string, email: string, holdoutPercent: number): boolean {
  return hashSeed(`${campaignId}:${email}`) / 2 ** 32 < holdoutPercent / 100;
}
