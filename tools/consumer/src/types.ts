// Compile-time checks of the generated types: tsc --strict fails when the
// contract stops saying what is always there.
import type { components } from './monri.js';

type Schemas = components['schemas'];
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const checks = {
  customerUUID: true satisfies Exact<Schemas['Customer']['uuid'], string>,
  customerPhoneNullable: true satisfies Exact<Schemas['Customer']['phone'], string | null>,
  listItemID: true satisfies Exact<Schemas['CustomerListItem']['id'], string>,
  linkPaymentURL: true satisfies Exact<Schemas['PayByLink']['payment_url'], string>,
  savedLinkPaymentURL: true satisfies Exact<Schemas['SavedPayByLink']['payment_url'], string>,
  linkAmount: true satisfies Exact<Schemas['PayByLink']['amount'], number>,
  customerStatus: true satisfies Exact<Schemas['Customer']['status'], 'approved'>,
  shownLinkStatus: true satisfies Exact<Schemas['PayByLink']['status'], 'approved'>,
  savedLinkStatus: true satisfies Exact<Schemas['SavedPayByLink']['status'], 'created' | 'updated'>,
};

// @ts-expect-error 13 installments is outside the enum 2..12.
export const tooMany: Schemas['Installments'] = 13;
export const six: Schemas['Installments'] = 6;
export const none: Schemas['Installments'] = '';
