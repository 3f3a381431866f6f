// Props a test can change after mounting, as a parent component would: a `$state` object, so
// that the screen sees each change.
export function liveProps<Props extends Record<string, unknown>>(initial: Props): Props {
  const props = $state(initial);
  return props;
}
