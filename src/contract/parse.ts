import { en } from 'zod/locales';
import {
  globalConfig,
  safeParse,
  type $ZodErrorMap,
  type $ZodIssue,
  type $ZodType,
  type output,
  type ParseContext,
  type util,
} from 'zod/v4/core';

/** zod's English messages, built on the first failed parse (only failures read them). */
let english: $ZodErrorMap | undefined;

/**
 * The contract is written with `zod/mini`, which sets no locale: without one every issue reads
 * `Invalid input`. English is given per parse, not installed globally (`z.config(en())` at import
 * time is a side effect a `sideEffects: false` bundler may drop, and it would change the app's own
 * schemas). An app that configured zod itself (`z.config(z.locales.fr())`, a `customError`) keeps
 * its messages: the map defers to them, as zod does when it sets its default locale.
 */
const CONTEXT: ParseContext<$ZodIssue> = {
  error: (issue) => (globalConfig.customError || globalConfig.localeError ? undefined : (english ??= en().localeError)(issue)),
};

/** zod's `safeParse` of `value` against `schema`, with readable (English) issue messages. */
export const parseWithMessages = <T extends $ZodType>(schema: T, value: unknown): util.SafeParseResult<output<T>> =>
  safeParse(schema, value, CONTEXT);
