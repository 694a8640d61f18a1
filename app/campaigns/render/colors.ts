// WCAG 2.x contrast, so a merchant's accent colour never produces an unreadable button or link.

function channel(hex: string): number {
  const value = parseInt(hex, 16) / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

function luminance(color: string): number {
  const hex = color.replace("#", "");
  return 0.2126 * channel(hex.slice(0, 2)) + 0.7152 * channel(hex.slice(2, 4)) + 0.0722 * channel(hex.slice(4, 6));
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

export const INK = "#1f2933";
export const MUTED = "#52606d";
export const PAPER = "#ffffff";
export const CANVAS = "#f4f5f7";
const DEFAULT_ACCENT = "#1f2933";

export interface Palette {
  buttonBackground: string;
  buttonText: string;
  /** Accent when it reads on white (≥ 4.5:1), ink otherwise. */
  link: string;
}

export function palette(accent: string | undefined): Palette {
  const background = (accent ?? DEFAULT_ACCENT).toLowerCase();
  const buttonText = contrastRatio(background, PAPER) >= contrastRatio(background, INK) ? PAPER : INK;
  return {
    buttonBackground: background,
    buttonText,
    link: contrastRatio(background, PAPER) >= 4.5 ? background : INK,
  };
}
