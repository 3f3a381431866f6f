// The app's screens, in navigation order, and what every screen component receives.
import type { PlatformView, StoreView } from './bindings';
import { t } from './i18n.svelte';

export type ScreenId = 'coupons' | 'codes' | 'campaign' | 'refunds' | 'sync' | 'calculator' | 'settings';

export interface ScreenEntry {
  id: ScreenId;
  /** Ctrl + this key opens the screen. */
  shortcut: string;
  /** Whether the screen works on the chosen store. */
  storeScoped: boolean;
}

export const SCREENS: ScreenEntry[] = [
  { id: 'coupons', shortcut: '1', storeScoped: true },
  { id: 'codes', shortcut: '2', storeScoped: true },
  { id: 'campaign', shortcut: '3', storeScoped: true },
  { id: 'refunds', shortcut: '4', storeScoped: true },
  { id: 'sync', shortcut: '5', storeScoped: true },
  { id: 'calculator', shortcut: '6', storeScoped: false },
  { id: 'settings', shortcut: '7', storeScoped: false },
];

/** A screen's name in the navigation, in the seller's language (read when shown). */
export function screenLabel(id: ScreenId): string {
  return t(`app.screens.${id}`);
}

/** The screen a Ctrl+key press opens, if any. */
export function screenForShortcut(key: string): ScreenId | null {
  return SCREENS.find((screen) => screen.shortcut === key)?.id ?? null;
}

/** What every store-scoped screen receives from the shell. */
export interface ScreenProps {
  store: StoreView;
  platform: PlatformView;
  /** The coupon the seller is working on, shared by Coupons, Codes and Campaign results. */
  couponId: string | null;
  /** Opens another screen, optionally on a coupon. */
  navigate: (screen: ScreenId, couponId?: string | null) => void;
  /** Something changed that the platform must learn of: the status bar refreshes. */
  onchanged: () => void;
}
