// The "Connect a real platform" form of Settings: its fields, what it sends, and which input a
// refusal belongs beside. Pure: no IPC, no DOM. Its words come from the `settings` catalog when
// asked for, so that they follow the language the seller picks.
import type { CommandError, ConnectRequest, PlatformView } from './bindings';
import { t } from './i18n.svelte';

/** The kinds of platform Settings connects to (the facade's `PlatformKind` names). */
export type PlatformKindName = 'sellerdesk' | 'medusa' | 'aliexpress';

/** The kinds with their labels in the current language (Medusa and AliExpress are names). */
export function platformKinds(): { kind: PlatformKindName; label: string }[] {
  return [
    { kind: 'sellerdesk', label: t('settings.platform-kind.sellerdesk') },
    { kind: 'medusa', label: 'Medusa' },
    { kind: 'aliexpress', label: 'AliExpress' },
  ];
}

export type ConnectField = Exclude<keyof ConnectRequest, 'platform'>;

export type ConnectForm = Record<ConnectField, string> & { platform: PlatformKindName };

export type FieldErrors = Partial<Record<ConnectField, string>>;

/** The message of each input's label. */
const LABELS: Record<ConnectField, string> = {
  store_id: 'settings.field.store-id',
  store_name: 'settings.field.store-name',
  currency: 'settings.field.currency',
  base_url: 'settings.field.base-url',
  app_key: 'settings.field.app-key',
  app_secret: 'settings.field.app-secret',
  access_token: 'settings.field.access-token',
  api_key: 'settings.field.api-key',
  authorization_code: 'settings.field.authorization-code',
};

/** The message of what to type in each input, when it was left empty. */
const ASK: Record<ConnectField, string> = {
  store_id: 'settings.missing.store-id',
  store_name: 'settings.missing.store-name',
  currency: 'settings.missing.currency',
  base_url: 'settings.missing.base-url',
  app_key: 'settings.missing.app-key',
  app_secret: 'settings.missing.app-secret',
  access_token: 'settings.missing.access-token',
  api_key: 'settings.missing.api-key',
  authorization_code: 'settings.missing.authorization-code',
};

/** What each kind asks for, in form order. */
const FIELDS_OF: Record<PlatformKindName, ConnectField[]> = {
  sellerdesk: ['store_id', 'store_name', 'currency', 'base_url', 'app_key', 'app_secret', 'access_token'],
  medusa: ['store_id', 'store_name', 'currency', 'base_url', 'api_key'],
  aliexpress: ['store_id', 'store_name', 'currency', 'base_url', 'app_key', 'app_secret', 'authorization_code'],
};

/** The inputs of a kind in form order, with their labels (what the seller reads, and what a hint names). */
export function connectFields(kind: PlatformKindName): { field: ConnectField; label: string }[] {
  return FIELDS_OF[kind].map((field) => ({ field, label: t(LABELS[field]) }));
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

/** What to type in an input left empty, in the current language. */
export function askFor(field: ConnectField): string {
  return t(ASK[field]);
}

/** The empty inputs of the chosen kind, in form order. */
export function emptyFields(form: ConnectForm): ConnectField[] {
  return FIELDS_OF[form.platform].filter((field) => form[field].trim() === '');
}

/** Empty inputs of the chosen kind, each with what to type; empty when the form can be sent. */
export function missingFields(form: ConnectForm): FieldErrors {
  const missing: FieldErrors = {};
  for (const field of emptyFields(form)) missing[field] = askFor(field);
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

/** The platform in use in words of the current language. */
export function describePlatform(platform: PlatformView): PlatformDescription {
  if (platform.kind === 'sandbox') {
    return {
      name: t('settings.platform.sandbox'),
      text: platform.sandbox_url
        ? t('settings.platform.sandbox-description-at', { url: platform.sandbox_url })
        : t('settings.platform.sandbox-description'),
    };
  }
  return {
    name: t('settings.platform.real'),
    text: t('settings.platform.real-description'),
  };
}
