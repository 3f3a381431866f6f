// The app's screens, in navigation order, and what every screen component receives.
import type { PlatformView, StoreView } from './bindings';

export type ScreenId = 'coupons' | 'codes' | 'campaign' | 'refunds' | 'sync' | 'calculator' | 'settings';

export interface ScreenEntry {
  id: ScreenId;
  label: string;
  /** Ctrl + this key opens the screen. */
  shortcut: string;
  /** Whether the screen works on the chosen store. */
  storeScoped: boolean;
}

export const SCREENS: ScreenEntry[] = [
  { id: 'coupons', label: 'Coupons', shortcut: '1', storeScoped: true },
  { id: 'codes', label: 'Codes', shortcut: '2', storeScoped: true },
  { id: 'campaign', label: 'Campaign results', shortcut: '3', storeScoped: true },
  { id: 'refunds', label: 'Refunds', shortcut: '4', storeScoped: true },
  { id: 'sync', label: 'Sync', shortcut: '5', storeScoped: true },
  { id: 'calculator', label: 'Refund calculator', shortcut: '6', storeScoped: false },
  { id: 'settings', label: 'Settings', shortcut: '7', storeScoped: false },
];

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
