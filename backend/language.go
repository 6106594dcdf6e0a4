package backend

import "context"

type languageKey struct{}

// NewContextWithLanguage returns a context that carries the language ("en"
// or "de") of the person acting, as their browser asked for it, so email
// written for them on that action (a password-changed notice) is in their
// language. An empty language carries nothing.
func NewContextWithLanguage(ctx context.Context, lang string) context.Context {
	if lang == "" {
		return ctx
	}
	return context.WithValue(ctx, languageKey{}, lang)
}

// LanguageFromContext returns the language of the person acting, or "" when
// it is not known.
func LanguageFromContext(ctx context.Context) string {
	lang, _ := ctx.Value(languageKey{}).(string)
	return lang
}
