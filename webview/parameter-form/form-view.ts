// The parameter form page: one field per parameter (protocol/webview/parameter-fields.ts: text, number, checkbox,
// select, JSON text area), required ones marked, defaults filled in, an error under each field that is wrong.
// Submit reads the fields locally first (so a typo is shown at once) and sends the values to the extension, which
// checks them again against the schema and may answer with more errors; Cancel closes the form. The values typed
// and the form's origin stay in the webview state: the page starts again when shown after being hidden, and after
// a window reload the extension restores the form from that state.
import { type FieldValue, type ParameterField, readParameters } from "../../protocol/webview/parameter-fields.ts";
import type { ParameterFormMessage, ParameterFormOrigin } from "../../protocol/webview/parameter-form.ts";
import { h } from "../common/dom.ts";
import type { ParameterFormApi } from "../common/vscode-api.ts";

type FormMessage = Extract<ParameterFormMessage, { type: "form" }>;

interface Control {
  field: ParameterField;
  read(): FieldValue;
  error: HTMLElement;
}

const PLACEHOLDERS: Record<string, string> = {
  "date-time": "e.g. 2026-01-31T08:00:00Z",
  date: "e.g. 2026-01-31",
};

export class ParameterFormView {
  private readonly title = h("h1", { class: "form-title" });
  private readonly fieldList = h("div", { class: "form-fields" });
  private readonly formError = h("div", { class: "form-error", attrs: { role: "alert" } });
  private readonly note = h("div", { class: "form-note" });
  private controls: Control[] = [];
  private origin?: ParameterFormOrigin;

  constructor(
    root: HTMLElement,
    private readonly api: ParameterFormApi,
  ) {
    const submit = h("vscode-button", { class: "form-submit" }, "Submit");
    const cancel = h("vscode-button", { class: "form-cancel", attrs: { secondary: true } }, "Cancel");
    submit.addEventListener("click", () => this.submit());
    cancel.addEventListener("click", () => api.post({ type: "cancel" }));
    this.formError.hidden = true;
    this.note.hidden = true;
    root.append(
      this.title,
      this.note,
      this.fieldList,
      this.formError,
      h("div", { class: "form-buttons" }, submit, cancel),
    );
    // Enter in a one-line field submits, as in VS Code's own input boxes.
    this.fieldList.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.target as Element).localName === "vscode-textfield") this.submit();
    });
    this.fieldList.addEventListener("input", () => this.saveValues());
    this.fieldList.addEventListener("change", () => this.saveValues());
  }

  receive(message: ParameterFormMessage): void {
    if (message.type === "form") this.show(message);
    else this.showErrors(message.errors);
  }

  private show(form: FormMessage): void {
    this.title.textContent = `Parameters for ${form.title}`;
    this.origin = form.origin;
    const saved = (this.api.getState() as { values?: unknown } | undefined)?.values;
    const values = { ...form.values };
    // Values typed before the panel was hidden or the window reloaded (the page starts again each time).
    if (typeof saved === "object" && saved !== null) {
      for (const field of form.fields) {
        const value = (saved as Record<string, unknown>)[field.name];
        if (typeof value === "string" || typeof value === "boolean") values[field.name] = value;
      }
    }
    this.controls = form.fields.map((field) => this.control(field, values[field.name]));
    // Saved at once, not only on input: a form nobody typed in yet must come back after a reload too. (The values,
    // not the controls: a toolkit select has no value before its first render.)
    this.saveValues(values);
    this.fieldList.replaceChildren(
      ...(form.fields.length === 0 ? [h("p", { class: "form-note" }, "This flow takes no parameters.")] : []),
      ...this.controls.map((control) => control.error.parentElement as HTMLElement),
    );
    const unsupported = form.unsupported.map((entry) => `${entry.name} (${entry.reason})`).join(", ");
    this.note.textContent = unsupported ? `Not settable here, the flow's own defaults apply: ${unsupported}` : "";
    this.note.hidden = !unsupported;
    this.showErrors({});
  }

  private control(field: ParameterField, value: FieldValue | undefined): Control {
    const id = `field-${field.name}`;
    const text = typeof value === "string" ? value : "";
    let input: HTMLElement;
    let read: () => FieldValue;
    switch (field.kind) {
      case "boolean":
        input = h("vscode-checkbox", { attrs: { id, checked: value === true, label: field.name } });
        read = () => (input as unknown as { checked: boolean }).checked;
        break;
      case "select": {
        const empty = field.required ? "Choose…" : "(not set)";
        input = h(
          "vscode-single-select",
          { attrs: { id } },
          h("vscode-option", { attrs: { value: "", selected: text === "" } }, empty),
          ...field.options.map((option) =>
            h("vscode-option", { attrs: { value: option.value, selected: option.value === text } }, option.label),
          ),
        );
        read = () => (input as unknown as { value: string }).value ?? "";
        break;
      }
      case "json":
        input = h("vscode-textarea", {
          class: "json-input",
          attrs: { id, rows: "4", value: text, placeholder: `JSON (${field.hint})`, resize: "vertical" },
        });
        read = () => (input as unknown as { value: string }).value ?? "";
        break;
      default: {
        const placeholder =
          field.kind === "number"
            ? field.integer
              ? "a whole number"
              : "a number"
            : (field.format && PLACEHOLDERS[field.format]) || "";
        input = h("vscode-textfield", { attrs: { id, value: text, placeholder } });
        read = () => (input as unknown as { value: string }).value ?? "";
      }
    }
    const label = h(
      "vscode-label",
      { attrs: { for: id } },
      field.name,
      field.required ? h("span", { class: "required", title: "required" }, " *") : null,
    );
    const error = h("div", { class: "field-error", attrs: { role: "alert" } });
    error.hidden = true;
    h(
      "div",
      { class: "form-field", data: { field: field.name, kind: field.kind } },
      field.kind === "boolean" ? null : label,
      input,
      field.description ? h("div", { class: "field-help" }, field.description) : null,
      error,
    );
    return { field, read, error };
  }

  private values(): Record<string, FieldValue> {
    return Object.fromEntries(this.controls.map((control) => [control.field.name, control.read()]));
  }

  private saveValues(values = this.values()): void {
    if (this.origin) this.api.setState({ origin: this.origin, values });
  }

  private submit(): void {
    const values = this.values();
    const read = readParameters(
      this.controls.map((control) => control.field),
      values,
    );
    if (!read.ok) {
      this.showErrors(read.errors);
      return;
    }
    this.showErrors({});
    this.api.post({ type: "submit", values });
  }

  private showErrors(errors: Record<string, string>): void {
    for (const control of this.controls) {
      const message = errors[control.field.name];
      control.error.textContent = message ?? "";
      control.error.hidden = message === undefined;
      control.error.parentElement?.classList.toggle("invalid", message !== undefined);
    }
    const known = new Set(this.controls.map((control) => control.field.name));
    const other = Object.entries(errors)
      .filter(([name]) => !known.has(name))
      .map(([name, message]) => (name ? `${name}: ${message}` : message));
    this.formError.textContent = other.join("; ");
    this.formError.hidden = other.length === 0;
    const first = this.controls.find((control) => errors[control.field.name] !== undefined);
    (first?.error.parentElement?.querySelector("[id]") as HTMLElement | null)?.focus();
  }
}
