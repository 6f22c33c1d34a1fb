// Contract amount bounds in pesos (inclusive; a bound excludes contracts without an amount).
// Applied when the person leaves the box or presses Enter, not on every keystroke.
import { useEffect, useState } from 'preact/hooks';

type Props = { min?: number; max?: number; onChange: (min: number | undefined, max: number | undefined) => void; error?: string };

const parse = (text: string): number | undefined => (text.trim() === '' || !Number.isFinite(Number(text)) ? undefined : Number(text));

export function AmountField({ min, max, onChange, error }: Props) {
  const [minText, setMinText] = useState(min === undefined ? '' : String(min));
  const [maxText, setMaxText] = useState(max === undefined ? '' : String(max));
  useEffect(() => setMinText(min === undefined ? '' : String(min)), [min]);
  useEffect(() => setMaxText(max === undefined ? '' : String(max)), [max]);

  const apply = () => {
    const [a, b] = [parse(minText), parse(maxText)];
    if (a !== min || b !== max) onChange(a, b);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter') apply();
  };
  return (
    <fieldset class={`field amount-field${error ? ' has-error' : ''}`} aria-describedby={error ? 'amount-error' : undefined}>
      <legend>Contract amount (₱)</legend>
      <div class="amount-inputs">
        <label>
          Min <input type="number" inputMode="decimal" min="0" step="any" value={minText} onInput={(e) => setMinText(e.currentTarget.value)} onBlur={apply} onKeyDown={onKeyDown} name="minAmount" />
        </label>
        <label>
          Max <input type="number" inputMode="decimal" min="0" step="any" value={maxText} onInput={(e) => setMaxText(e.currentTarget.value)} onBlur={apply} onKeyDown={onKeyDown} name="maxAmount" />
        </label>
      </div>
      {error && (
        <p id="amount-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
