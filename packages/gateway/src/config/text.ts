import type { FieldError } from '@exosphere/common';

interface YamlModule {
  parse(text: string, options?: Record<string, unknown>): unknown;
  stringify(value: unknown, options?: Record<string, unknown>): string;
}

let yaml: YamlModule | null | undefined;

/**
 * The `yaml` package (v2) is loaded on first use rather than imported statically, so the gateway
 * still reads JSON configuration (JSON is YAML 1.2) where the package is not installed.
 */
async function loadYaml(): Promise<YamlModule | null> {
  if (yaml !== undefined) return yaml;
  try {
    const name = 'yaml';
    yaml = (await import(name)) as YamlModule;
  } catch {
    yaml = null;
  }
  return yaml;
}

export type ParsedText =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** Parses configuration text: JSON when it starts with "{", YAML otherwise. */
export async function parseConfigText(text: string): Promise<ParsedText> {
  const trimmed = text.trimStart();
  // An empty file is far more often a save in progress than an intent to drop every route.
  if (trimmed === '')
    return {
      ok: false,
      errors: [
        { path: '/', errors: ['the file is empty; write `routes: []` to remove every route'] },
      ],
    };
  if (trimmed.startsWith('{')) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return {
        ok: false,
        errors: [{ path: '/', errors: [`invalid JSON: ${(error as Error).message}`] }],
      };
    }
  }
  const module = await loadYaml();
  if (!module)
    return {
      ok: false,
      errors: [
        {
          path: '/',
          errors: ['YAML needs the `yaml` package, which is not installed; write the file as JSON'],
        },
      ],
    };
  try {
    return {
      ok: true,
      value: module.parse(text, { prettyErrors: true, uniqueKeys: true, maxAliasCount: 100 }),
    };
  } catch (error) {
    return {
      ok: false,
      errors: [{ path: '/', errors: [`invalid YAML: ${(error as Error).message}`] }],
    };
  }
}

/** YAML when the package is there, else JSON (which YAML readers accept too). */
export async function formatConfigText(value: unknown): Promise<string> {
  const module = await loadYaml();
  return module ? module.stringify(value) : JSON.stringify(value, null, 2) + '\n';
}
