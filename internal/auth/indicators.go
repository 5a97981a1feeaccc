package auth

import (
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// Which provider's indicators a user may ask for, and how exactly: the
// rules of the dashboard, the API, the workbook downloads and schedules.

// IndicatorProvider checks the provider a user asks indicators for, and fills
// in a coordinator's own when they name none and defaultOwn allows it. An
// admin may ask for any provider that exists, or for all (""); a
// coordinator only for one of their own providers (a coordinator's figures
// of other providers, or of all together, would show other providers'
// cells). exists tells whether a provider code is known.
func IndicatorProvider(u *domain.User, provider string, exists func(code string) bool, defaultOwn bool) (string, error) {
	switch {
	case u.Role == domain.RoleAdmin:
		if provider != "" && !exists(provider) {
			return "", domain.Errorf(domain.ENOTFOUND, "no provider %q", provider)
		}
		return provider, nil
	case u.Role != domain.RoleCoordinator || !Can(u, ViewIndicators):
		return "", Forbidden(ViewIndicators)
	case provider == "" && len(u.Providers) > 0 && defaultOwn:
		return u.Providers[0], nil
	case provider == "":
		if len(u.Providers) == 0 {
			return "", domain.Errorf(domain.EFORBIDDEN, "your account is linked to no provider")
		}
		return "", domain.Errorf(domain.EFORBIDDEN, "a coordinator sees the indicators of their own providers: add provider=%s", strings.Join(u.Providers, " or provider="))
	case !u.HasProvider(provider):
		return "", domain.Errorf(domain.EFORBIDDEN, "provider %q is not one of yours", provider)
	}
	return provider, nil
}

// MaySeeExact reports whether u may see exact numbers of provider: an admin
// always, a coordinator for their own providers (spec/indicators.md,
// "Small-cell suppression": the rule is for what is shown outside the provider).
func MaySeeExact(u *domain.User, provider string) bool {
	return u.Role == domain.RoleAdmin || (u.Role == domain.RoleCoordinator && u.HasProvider(provider))
}

// MayUseProvider reports whether u may export or schedule for provider
// ("" = all providers, which only an admin may).
func MayUseProvider(u *domain.User, provider string) bool {
	if u.Role == domain.RoleAdmin {
		return true
	}
	return provider != "" && u.HasProvider(provider)
}
