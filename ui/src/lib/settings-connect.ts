// The "Connect a real platform" form of Settings: its fields, what it sends, and which input a
// refusal belongs beside. Pure: no IPC, no DOM.
import type { CommandError, ConnectRequest, PlatformView } from './bindings';

/** The kinds of platform Settings connects to (the facade's `PlatformKind` names). */
export type PlatformKindName = 'sellerdesk' | 'medusa' | 'aliexpress';

export const PLATFORM_KINDS: { kind: PlatformKindName; label: string }[] = [
  { kind: 'sellerdesk', label: 'Seller Desk platform API' },
  { kind: 'medusa', label: 'Medusa' },
  { kind: 'aliexpress', label: 'AliExpress' },
];

export type ConnectField = Exclude<keyof ConnectRequest, 'platform'>;

export type ConnectForm = Record<ConnectField, string> & { platform: PlatformKindName };

export type FieldErrors = Partial<Record<ConnectField, string>>;

const LABELS: Record<ConnectField, string> = {
  store_id: 'Store id',
  store_name: 'Store name',
  currency: 'Currency',
  base_url: 'Platform address',
  app_key: 'App key',
  app_secret: 'App secret',
  access_token: 'Access token',
  api_key: 'Secret API key',
  authorization_code: 'Authorization code',
};

/** What each kind asks for, in form order. */
const FIELDS_OF: Record<PlatformKindName, ConnectField[]> = {
  sellerdesk: ['store_id', 'store_name', 'currency', 'base_url', 'app_key', 'app_secret', 'access_token'],
  medusa: ['store_id', 'store_name', 'currency', 'base_url', 'api_key'],
  aliexpress: ['store_id', 'store_name', 'currency', 'base_url', 'app_key', 'app_secret', 'authorization_code'],
};

/** The inputs of a kind in form order, with their labels (what the seller reads, and what a hint names). */
export function connectFields(kind: PlatformKindName): { field: ConnectField; label: string }[] {
  return FIELDS_OF[kind].map((field) => ({ field, label: LABELS[field] }));
}

export function emptyConnectForm(): ConnectForm {
  return {
    platform: 'sellerdesk',
    store_id: '',
    store_name: '',
    currency: '',
    base_url: '',
    app_key: '',
    app_secret: '',
    access_token: '',
    api_key: '',
    authorization_code: '',
  };
}

/** The form with the secrets wiped, as it is kept after a successful connection. */
export function withoutSecrets(form: ConnectForm): ConnectForm {
  return { ...form, app_secret: '', access_token: '', api_key: '', authorization_code: '' };
}

/** What is sent: the plain fields trimmed, the currency in capitals; the secrets as typed; the
 * fields of the other kind empty. */
export function connectRequest(form: ConnectForm): ConnectRequest {
  const asked = new Set(FIELDS_OF[form.platform]);
  const value = (field: ConnectField, text: string) => (asked.has(field) ? text : '');
  return {
    platform: form.platform,
    store_id: form.store_id.trim(),
    store_name: form.store_name.trim(),
    currency: form.currency.trim().toUpperCase(),
    base_url: form.base_url.trim(),
    app_key: value('app_key', form.app_key.trim()),
    app_secret: value('app_secret', form.app_secret),
    access_token: value('access_token', form.access_token),
    api_key: value('api_key', form.api_key.trim()),
    authorization_code: value('authorization_code', form.authorization_code.trim()),
  };
}

/** Empty inputs of the chosen kind, each with what to type; empty when the form can be sent. */
export function missingFields(form: ConnectForm): FieldErrors {
  const missing: FieldErrors = {};
  const ask: Record<ConnectField, string> = {
    store_id: 'Enter the store id the platform gave you.',
    store_name: 'Enter a name for the store.',
    currency: 'Enter the store’s currency, such as USD.',
    base_url: 'Enter the platform’s address, starting with https://.',
    app_key: 'Enter the app key.',
    app_secret: 'Enter the app secret.',
    access_token: 'Enter the access token.',
    api_key: 'Paste a secret API key from Medusa’s admin.',
    authorization_code: 'Paste the code AliExpress gave once you authorized the app.',
  };
  for (const field of FIELDS_OF[form.platform]) {
    if (form[field].trim() === '') missing[field] = ask[field];
  }
  return missing;
}

/**
 * The input a refusal belongs beside, from its `field` (the facade names them `store`, `name`,
 * `currency`, `url`, `app_key`, `app_secret`, `access_token`), or null for an error that is not
 * about one input.
 */
export function fieldOfError(error: CommandError): ConnectField | null {
  switch (error.field) {
    case 'store':
    case 'store_id':
      return 'store_id';
    case 'name':
    case 'store_name':
      return 'store_name';
    case 'currency':
      return 'currency';
    case 'url':
    case 'base_url':
      return 'base_url';
    case 'app_key':
    case 'app_secret':
    case 'access_token':
    case 'api_key':
      return error.field;
    case 'code':
      return 'authorization_code';
    default:
      return null;
  }
}

export interface PlatformDescription {
  /** `Sandbox` or `A real platform`. */
  name: string;
  text: string;
}

export function describePlatform(platform: PlatformView): PlatformDescription {
  if (platform.kind === 'sandbox') {
    const where = platform.sandbox_url ? ` at ${platform.sandbox_url}` : '';
    return {
      name: 'Sandbox',
      text: `The bundled sandbox platform runs inside Seller Desk${where} with demo stores; nothing you do here reaches a real marketplace.`,
    };
  }
  return {
    name: 'A real platform',
    text: 'Seller Desk talks to the marketplace platform your stores are connected to: coupons, codes and refund answers you sync reach real buyers.',
  };
}
