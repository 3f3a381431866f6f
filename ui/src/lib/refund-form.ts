// The refund form's state and how it becomes the `refund` of a §8 input. No money math here:
// amounts stay the strings the seller typed or the core returned.
import type { OrderInput, RefundInput } from './bindings';
import { t } from './i18n.svelte';
import type { LoadedPayment } from './payment';

export type RefundKind = 'lines' | 'full' | 'amount';

export interface RefundForm {
  orderId: string;
  kind: RefundKind;
  /** Units to refund per line_id of the chosen order; null when the input is empty. */
  units: Record<string, number | null>;
  /** The amount exactly as typed, for `kind === 'amount'`. */
  amount: string;
}

export type BuildResult =
  | { ok: true; refund: RefundInput }
  | { ok: false; problem: string };

function zeroUnits(order: OrderInput | undefined): Record<string, number | null> {
  const units: Record<string, number | null> = {};
  for (const line of order?.lines ?? []) units[line.line_id] = 0;
  return units;
}

export function findOrder(payment: LoadedPayment, orderId: string): OrderInput | undefined {
  return payment.orders.find((o) => o.order_id === orderId);
}

/** The form a payment opens with: its own `refund` if it has one, else units of its first order. */
export function initialForm(payment: LoadedPayment): RefundForm {
  const refund = payment.refund;
  const fallbackOrder = payment.orders[0]?.order_id ?? '';
  if (refund === null || findOrder(payment, refund.order_id) === undefined) {
    return { orderId: fallbackOrder, kind: 'lines', units: zeroUnits(payment.orders[0]), amount: '' };
  }
  const order = findOrder(payment, refund.order_id);
  const form: RefundForm = { orderId: refund.order_id, kind: 'lines', units: zeroUnits(order), amount: '' };
  if (refund.lines !== undefined) {
    for (const { line_id, quantity } of refund.lines) {
      if (line_id in form.units) form.units[line_id] = quantity;
    }
  } else if (refund.full === true) {
    form.kind = 'full';
  } else if (refund.amount !== undefined) {
    form.kind = 'amount';
    form.amount = refund.amount;
  }
  return form;
}

/** Switches to another order: its units start at 0, the kind and amount stay. */
export function selectOrder(payment: LoadedPayment, form: RefundForm, orderId: string): RefundForm {
  return { ...form, orderId, units: zeroUnits(findOrder(payment, orderId)) };
}

/**
 * The `refund` of the §8 input, or what is still missing from the form. Whether the request
 * is allowed (enough units left, amount format and size…) is for the core to say.
 */
export function buildRefundRequest(payment: LoadedPayment, form: RefundForm): BuildResult {
  const order = findOrder(payment, form.orderId);
  if (order === undefined) return { ok: false, problem: t('refunds.form.problem.choose-order') };
  const order_id = order.order_id;
  switch (form.kind) {
    case 'full':
      return { ok: true, refund: { order_id, full: true } };
    case 'amount': {
      const amount = form.amount.trim();
      if (amount === '') return { ok: false, problem: t('refunds.form.problem.enter-amount') };
      return { ok: true, refund: { order_id, amount } };
    }
    case 'lines': {
      const lines = [];
      for (const line of order.lines) {
        const units = form.units[line.line_id] ?? 0;
        if (units === 0) continue;
        if (!Number.isInteger(units) || units < 0) {
          return { ok: false, problem: t('refunds.form.problem.whole-units', { line: line.line_id }) };
        }
        lines.push({ line_id: line.line_id, quantity: units });
      }
      if (lines.length === 0) return { ok: false, problem: t('refunds.form.problem.choose-units') };
      return { ok: true, refund: { order_id, lines } };
    }
  }
}

/** The whole §8 input: the payment as loaded, with the form's refund in place of its own. */
export function buildPreviewInput(
  payment: LoadedPayment,
  refund: RefundInput,
): Record<string, unknown> {
  return { ...payment.raw, refund };
}
