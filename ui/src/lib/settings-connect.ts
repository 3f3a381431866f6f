// The "Connect a real platform" form of Settings: its fields, what it sends, and which input a
// refusal belongs beside. Pure: no IPC, no DOM.
import type { CommandError, ConnectPlatformDto, PlatformView } from './bindings';

export type ConnectField = keyof ConnectPlatformDto;

export type ConnectForm = Record<ConnectField, string>;

export type FieldErrors = Partial<Record<ConnectField, string>>;

/** The inputs in form order, with their labels (what the seller reads, and what a hint names). */
export const CONNECT_FIELDS: { field: ConnectField; label: string }[] = [
  { field: 'store_id', label: 'Store id' },
  { field: 'store_name', label: 'Store name' },
  { field: 'currency', label: 'Currency' },
  { field: 'base_url', label: 'Platform address' },
  { field: 'app_key', label: 'App key' },
  { field: 'app_secret', label: 'App secret' },
  { field: 'access_token', label: 'Access token' },
];

export function emptyConnectForm(): ConnectForm {
  return { store_id: '', store_name: '', currency: '', base_url: '', app_key: '', app_secret: '', access_token: '' };
}

/** The form with the secret and the token wiped, as it is kept after a successful connection. */
export function withoutSecrets(form: ConnectForm): ConnectForm {
  return { ...form, app_secret: '', access_token: '' };
}

/** What is sent: the plain fields trimmed, the currency in capitals; the secrets as typed. */
export function connectRequest(form: ConnectForm): ConnectPlatformDto {
  return {
    store_id: form.store_id.trim(),
    store_name: form.store_name.trim(),
    currency: form.currency.trim().toUpperCase(),
    base_url: form.base_url.trim(),
    app_key: form.app_key.trim(),
    app_secret: form.app_secret,
    access_token: form.access_token,
  };
}

/** Empty inputs, each with what to type; empty when the form can be sent. */
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
  };
  for (const { field } of CONNECT_FIELDS) {
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
      return error.field;
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
