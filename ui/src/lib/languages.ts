// Languages in the pickers: the generated LANGUAGES with both names, and which voices speak one.

import { LANGUAGES, type Language } from './backend/bindings';

/** "German (Deutsch)"; English alone. */
export function languageLabel(code: Language): string {
  const language = LANGUAGES.find((l) => l.code === code);
  if (!language) return code;
  return language.name === language.nativeName ? language.name : `${language.name} (${language.nativeName})`;
}

/**
 * Whether a voice tagged `tag` ("de", "en_US", or none for a voice that speaks any language) speaks
 * `language`: the tag's primary subtag is the language's code.
 */
export function speaksLanguage(tag: string | null, language: Language): boolean {
  if (tag === null || tag.trim() === '') return true;
  return (tag.trim().split(/[-_]/)[0] ?? '').toLowerCase() === language;
}
