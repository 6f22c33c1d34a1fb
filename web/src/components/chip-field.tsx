// A chip input with filterOptions autocomplete (debounced), following the ARIA combobox
// pattern: arrow keys move through the options, Enter picks one (or adds what was typed),
// Escape closes the list, Backspace on an empty input removes the last chip.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { request } from '../api/client.js';
import type { Dimension, FilterOptionsQuery, FilterOptionsQueryVariables } from '../api/generated.js';
import { FILTER_OPTIONS } from '../api/operations.js';
import { formatCount } from '../format.js';

const DEBOUNCE_MS = 250;

type Props = {
  label: string;
  /** null: free text (keywords), no autocomplete. */
  dimension: Dimension | null;
  chips: string[];
  placeholder: string;
  onChange: (chips: string[]) => void;
  error?: string;
  /** id of the shared explanation of chips and `&&`. */
  helpId: string;
};

export function ChipField({ label, dimension, chips, placeholder, onChange, error, helpId }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const [options, setOptions] = useState<FilterOptionsQuery['filterOptions']>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const search = text.trim();
    if (!dimension || search === '' || search.includes('&&')) {
      setOptions([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      request<FilterOptionsQuery, FilterOptionsQueryVariables>(FILTER_OPTIONS, { dimension, search, limit: 8 }, controller.signal).then(
        (data) => {
          setOptions(data.filterOptions);
          setActive(-1);
          setOpen(true);
        },
        () => setOptions([]), // autocomplete is a convenience: typing a chip still works
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, dimension]);

  const add = (chip: string) => {
    const value = chip.trim();
    setText('');
    setOptions([]);
    setOpen(false);
    if (value && !chips.includes(value)) onChange([...chips, value]);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const listed = open && options.length > 0;
    if (event.key === 'ArrowDown' && listed) {
      event.preventDefault();
      setActive((active + 1) % options.length);
    } else if (event.key === 'ArrowUp' && listed) {
      event.preventDefault();
      setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = listed && active >= 0 ? options[active] : undefined;
      add(option ? option.label : text);
    } else if (event.key === 'Escape') {
      setOpen(false);
    } else if (event.key === 'Backspace' && text === '' && chips.length) {
      onChange(chips.slice(0, -1));
    }
  };

  const listId = `${id}-options`;
  const errorId = `${id}-error`;
  const expanded = open && options.length > 0;
  return (
    <div class={`field chip-field${error ? ' has-error' : ''}`}>
      <label for={`${id}-input`}>{label}</label>
      <div class="chips-box" onClick={() => input.current?.focus()}>
        <ul class="chips" aria-label={`${label} chips`}>
          {chips.map((chip) => (
            <li class="chip" key={chip}>
              <span>{chip}</span>
              <button type="button" aria-label={`Remove ${label.toLowerCase()} chip ${chip}`} onClick={() => onChange(chips.filter((c) => c !== chip))}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          ref={input}
          id={`${id}-input`}
          type="text"
          role="combobox"
          autocomplete="off"
          aria-autocomplete={dimension ? 'list' : 'none'}
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${id}-option-${active}` : undefined}
          aria-describedby={`${helpId}${error ? ` ${errorId}` : ''}`}
          aria-invalid={error ? true : undefined}
          value={text}
          placeholder={placeholder}
          onInput={(event) => {
            setText(event.currentTarget.value);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
        />
      </div>
      <ul id={listId} role="listbox" class="options" aria-label={`${label} suggestions`} hidden={!expanded}>
        {options.map((option, i) => (
          <li
            id={`${id}-option-${i}`}
            key={option.label}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'active' : undefined}
            onMouseDown={(event) => {
              event.preventDefault(); // keep focus in the input
              add(option.label);
            }}
          >
            <span class="option-label">{option.label}</span> <span class="option-count">{formatCount(option.count)}</span>
          </li>
        ))}
      </ul>
      {error && (
        <p id={errorId} class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
