const HOUR = 3_600_000;

/**
 * When each step of one recipient's sequence is due: `delayHours` after the anchor (the abandonment,
 * or the campaign start), never before `notBefore`, and never closer to the previous step than the plan
 * spaces them. A sequence started late (a cart abandoned two days before "send now") shifts as a whole
 * instead of sending its overdue steps together.
 */
export function stepTimes(anchor: Date, delayHours: readonly number[], notBefore: Date): Date[] {
  const times: Date[] = [];
  delayHours.forEach((delay, index) => {
    const onPlan = anchor.getTime() + delay * HOUR;
    const spaced = index === 0 ? -Infinity : times[index - 1].getTime() + (delay - delayHours[index - 1]) * HOUR;
    times.push(new Date(Math.max(onPlan, notBefore.getTime(), spaced)));
  });
  return times;
}
