// The layout check the end-to-end tests run in the real window: every visible text must lie
// inside every box around it, as the window draws it. A text that does not is cut off (a box that
// clips it), hidden sideways (a box the seller would have to scroll sideways), spilling out of its
// box over its neighbours, or beyond the window. It reads where WebKit laid each text out
// (Range.getClientRects), so it sees what a seller sees, in any language.
//
// One kind of cut is deliberate and allowed: a box inside `[data-may-truncate]` that ends its line
// with an ellipsis (`text-overflow: ellipsis`), as the coupon list's rows do; the seller sees the
// "…", and the whole text is a click away. A cut at the bottom shows nothing, so it is never allowed.
import { ELEMENT } from './webdriver.mjs';

/**
 * Runs in the page (through WebDriver's executeScript, so it is written without any closure over
 * this module). Returns one problem per text that leaves a box: the element holding the text, the
 * box it leaves and how, and the text.
 */
function findTextOverflows(tolerancePx) {
  const problems = [];
  const styles = new Map();
  const style = (element) => {
    let found = styles.get(element);
    if (!found) {
      found = getComputedStyle(element);
      styles.set(element, found);
    }
    return found;
  };
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += `#${element.id}`;
    const classes = typeof element.className === 'string' ? element.className.trim().split(/\s+/).filter(Boolean) : [];
    // Svelte's scoping classes say nothing to a reader.
    for (const kind of classes.filter((c) => !c.startsWith('svelte-')).slice(0, 3)) name += `.${kind}`;
    const testId = element.getAttribute('data-testid');
    if (testId) name += `[data-testid="${testId}"]`;
    return name;
  };
  const clipping = (value) => value === 'hidden' || value === 'clip';
  const scrolling = (value) => value === 'auto' || value === 'scroll';
  /** Hidden from the eye on purpose (read by screen readers only), or not drawn at all. */
  const unseen = (element) => {
    for (let at = element; at; at = at.parentElement) {
      const s = style(at);
      if (s.clipPath !== 'none' || (s.clip && s.clip !== 'auto') || Number(s.opacity) === 0) return true;
    }
    return style(element).visibility !== 'visible';
  };
  /** The box a text must stay in, for an element that has one of its own (an inline has none). */
  const boxOf = (element) => {
    if (element instanceof SVGElement) {
      // Inside a drawing, only the outer <svg> is a box (it clips what is drawn past its edges).
      if (!(element instanceof SVGSVGElement) || element.ownerSVGElement) return null;
    } else if (['inline', 'contents', 'none'].includes(style(element).display)) return null;
    return element.getBoundingClientRect();
  };

  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data.replace(/\s+/g, ' ').trim();
    const holder = node.parentElement;
    if (text === '' || !holder) continue;
    // Form controls draw their options and values themselves; a text there is not laid out as text.
    if (holder.closest('script, style, noscript, template, select, option, datalist, textarea')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((rect) => rect.width > 0 && rect.height > 0);
    if (rects.length === 0 || unseen(holder)) continue;

    let problem = null;
    for (const rect of rects) {
      // What is still visible of the text, narrowed at each box that clips it.
      let [left, right, top, bottom] = [rect.left, rect.right, rect.top, rect.bottom];
      let checkVertical = true;
      for (let box = holder; box && box !== document.documentElement && !problem; box = box.parentElement) {
        const bounds = boxOf(box);
        if (bounds === null) continue;
        const s = style(box);
        const [clipsX, clipsY] = [clipping(s.overflowX), clipping(s.overflowY)];
        const [scrollsX, scrollsY] = [scrolling(s.overflowX), scrolling(s.overflowY)];
        const paints = /\b(paint|strict|content)\b/.test(s.contain);
        // A box that clips or scrolls shows its content inside its padding box (no border, no scroll bar).
        const inner = clipsX || clipsY || scrollsX || scrollsY || paints;
        const boxLeft = inner ? bounds.left + box.clientLeft : bounds.left;
        const boxRight = inner ? boxLeft + box.clientWidth : bounds.right;
        const boxTop = inner ? bounds.top + box.clientTop : bounds.top;
        const boxBottom = inner ? boxTop + box.clientHeight : bounds.bottom;

        const outX = right > boxRight + tolerancePx || left < boxLeft - tolerancePx;
        // A box that scrolls up and down may hold a text out of view: the seller scrolls to it.
        const outY = checkVertical && !scrollsY && (bottom > boxBottom + tolerancePx || top < boxTop - tolerancePx);
        const ellipsis = (clipsX || paints) && s.textOverflow === 'ellipsis' && box.closest('[data-may-truncate]');
        if ((outX && !ellipsis) || outY) {
          const how =
            clipsX || clipsY || paints
              ? 'is cut off by'
              : outX && scrollsX
                ? 'needs scrolling sideways in'
                : 'spills out of';
          const side = outX ? (right > boxRight + tolerancePx ? 'right' : 'left') : bottom > boxBottom + tolerancePx ? 'bottom' : 'top';
          const by = Math.round(
            side === 'right' ? right - boxRight : side === 'left' ? boxLeft - left : side === 'bottom' ? bottom - boxBottom : boxTop - top,
          );
          problem = { element: describe(holder), text, how, box: describe(box), side, by };
          break;
        }
        if (clipsX || paints || scrollsX) [left, right] = [Math.max(left, boxLeft), Math.min(right, boxRight)];
        if (clipsY || paints) [top, bottom] = [Math.max(top, boxTop), Math.min(bottom, boxBottom)];
        // And so may every box around it: what matters beyond it is the scrolling box, not the text.
        if (scrollsY) checkVertical = false;
        // A box placed on its own (a dialog, a pop-up) is not inside the boxes around it in the page.
        if (s.position === 'fixed' || s.position === 'absolute') break;
        if (right <= left || bottom <= top) break; // nothing of it is visible any more
      }
      if (!problem && (right > window.innerWidth + tolerancePx || left < -tolerancePx)) {
        problem = { element: describe(holder), text, how: 'is beyond', box: 'the window', side: 'right', by: Math.round(right - window.innerWidth) };
      }
      if (problem) break;
    }
    if (problem) {
      if (problem.text.length > 80) problem.text = `${problem.text.slice(0, 77)}...`;
      problems.push(problem);
    }
  }
  return problems;
}

/** Every text of the window that leaves a box (see findTextOverflows), as the page lays it out now. */
export function textOverflows(app) {
  // One pixel of slack: WebKit rounds boxes and text runs to different fractions of a pixel.
  return app.session.execute(`return (${findTextOverflows.toString()})(1);`);
}

/** One line per problem, for a failure message. */
export function describeOverflows(problems) {
  return problems.map((p) => `  ${p.element} "${p.text}" ${p.how} ${p.box} (${p.by}px at the ${p.side})`).join('\n');
}

/**
 * Puts two deliberately broken boxes in the window, each with a text too long for it: one that
 * clips it, one that lets it spill. A test shows with them that the check can fail.
 * Returns a function that removes them.
 */
export async function injectOverflowingBoxes(app) {
  await app.session.execute(
    `const main = document.querySelector('main');
     for (const [testId, overflow] of [['layout-probe-clipped', 'hidden'], ['layout-probe-spilling', 'visible']]) {
       const box = document.createElement('div');
       box.dataset.testid = testId;
       box.style.cssText = 'width: 5rem; white-space: nowrap; overflow: ' + overflow + '; flex: none;';
       box.textContent = 'A sentence far too long for its narrow box';
       main.prepend(box);
     }`,
  );
  return async () => {
    for (const testId of ['layout-probe-clipped', 'layout-probe-spilling']) {
      const element = await app.session.byTestId(testId);
      await app.session.execute('arguments[0].remove();', [{ [ELEMENT]: element }]);
    }
  };
}
