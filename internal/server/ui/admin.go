package ui

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The administration (Beheer), for the admin role only: accounts (create,
// disable and enable, reset a password, role and providers) here, and the
// reference data in admin_data.go: providers, modules with their goals,
// groups with their teacher. Every write is checked with a message per
// field, then by the domain's own rules and the store, which writes it with
// its audit entry in one transaction.

// formField is one field of an administration form, ready to print.
type formField struct {
	Name     string
	ID       string
	Label    string // translated
	Hint     string // translated
	Type     string // text, number, date, password, select, checks, textarea, static
	Value    string
	Checked  map[string]bool // for checks
	Options  []option
	Err      string
	Optional bool
	Max      int // maxlength of text; 0: none
	List     string
}

// adminForm is an administration form.
type adminForm struct {
	ID     string
	Action string
	Legend string // translated
	Submit string // translated
	Error  string // a message about the whole form (translated)
	Fields []formField
	Danger bool // the submit button does something drastic
}

// field returns the form's field named name (nil when there is none).
func (f *adminForm) field(name string) *formField {
	for i := range f.Fields {
		if f.Fields[i].Name == name {
			return &f.Fields[i]
		}
	}
	return nil
}

// setErrors puts errs beside their fields; an error for no field of the
// form becomes the form's error.
func (f *adminForm) setErrors(errs fieldErrors) {
	for name, msg := range errs {
		if fl := f.field(name); fl != nil {
			fl.Err = msg
		} else if f.Error == "" {
			f.Error = msg
		}
	}
}

// adminHomeView is the start page of the administration.
type adminHomeView struct {
	Users, Providers, Modules, Groups int
	Recent                            []adminChange
}

// adminChange is one line of the administration's recent changes.
type adminChange struct {
	At, User, Action, Entity, Key string
}

// adminUsersView is the list of accounts with the form for a new one.
type adminUsersView struct {
	Users  []adminUserRow
	Form   *adminForm
	Secret string // the one-time password of the account just made
	Made   string // the account just made
}

// adminUserRow is one account in the list.
type adminUserRow struct {
	Username, Name, Email, URL, Role, Providers, Created string
	Disabled, Locked                                     bool
}

// adminUserView is one account's page.
type adminUserView struct {
	Username  string
	Name      string // the display name, "" for none
	Role      string // translated
	Disabled  bool
	Locked    bool
	Self      bool // the account of the admin looking at it
	Providers string
	RoleForm  *adminForm
	PassForm  *adminForm
	NameForm  *adminForm // display name and e-mail address
	Notice    string     // translated
	Secret    string     // a new one-time password, shown once
	Error     string     // translated
}

// adminRoutes registers the administration's pages, all for admins only.
func (s *Handler) adminRoutes(a *gin.RouterGroup) {
	ad := a.Group("/admin", s.Require(auth.Admin))
	ad.GET("", s.adminHome)
	ad.GET("/users", s.adminUsers)
	ad.POST("/users", s.CSRF, s.adminCreateUser)
	ad.GET("/users/:name", s.adminUser)
	ad.POST("/users/:name", s.CSRF, s.adminUpdateUser)
	ad.POST("/users/:name/disable", s.CSRF, s.adminDisableUser(true))
	ad.POST("/users/:name/enable", s.CSRF, s.adminDisableUser(false))
	ad.POST("/users/:name/password", s.CSRF, s.adminResetPassword)
	ad.POST("/users/:name/unlock", s.CSRF, s.adminUnlockUser)
	ad.POST("/users/:name/profile", s.CSRF, s.adminUserProfile)
	s.adminDataRoutes(ad)
	s.adminBackupRoutes(ad)
}

// adminHome shows what there is to manage and the latest changes.
func (w *Handler) adminHome(c *gin.Context) {
	ctx := c.Request.Context()
	lang := core.Lang(c)
	v := &adminHomeView{}
	users, err := w.DB.ListUsers(ctx)
	if err != nil {
		w.Fail(c, err)
		return
	}
	v.Users = len(users)
	stats, err := w.DB.Stats(ctx)
	if err != nil {
		w.Fail(c, err)
		return
	}
	for _, s := range stats {
		switch s.Entity {
		case "providers":
			v.Providers = s.Rows
		case "modules":
			v.Modules = s.Rows
		case "groups":
			v.Groups = s.Rows
		}
	}
	trail, err := w.DB.ListAuditOf(ctx, "", 20)
	if err != nil {
		w.Fail(c, err)
		return
	}
	for _, r := range trail {
		v.Recent = append(v.Recent, adminChange{At: formatTime(r.At), User: r.Username,
			Action: locale.T(lang, "audit."+r.Action), Entity: locale.T(lang, "adm.entity."+r.Entity), Key: r.Key})
	}
	w.Render(c, http.StatusOK, "admin", "", v)
}

// roleOptions are the four roles in the page's language.
func roleOptions(lang string) []option {
	var out []option
	for _, r := range domain.Roles() {
		out = append(out, option{Value: string(r), Label: locale.T(lang, "role."+string(r))})
	}
	return out
}

// allProviderOptions lists every provider for the account forms.
func (s *Handler) allProviderOptions(c *gin.Context) ([]option, error) {
	names, codes, err := s.providerNames(c.Request.Context())
	if err != nil {
		return nil, err
	}
	return providerOptions(&domain.User{Role: domain.RoleAdmin}, names, codes), nil
}

// newUserForm is the form that makes an account.
func (s *Handler) newUserForm(c *gin.Context) (*adminForm, error) {
	lang := core.Lang(c)
	providers, err := s.allProviderOptions(c)
	if err != nil {
		return nil, err
	}
	return &adminForm{ID: "user-form", Action: "/admin/users", Legend: locale.T(lang, "adm.user.new"),
		Submit: locale.T(lang, "adm.user.create"), Fields: []formField{
			{Name: "username", ID: "u-name", Label: locale.T(lang, "login.username"), Type: "text", Max: domain.MaxUsernameLength,
				Hint: locale.T(lang, "adm.user.name.hint")},
			{Name: "display_name", ID: "u-display", Label: locale.T(lang, "adm.user.display"), Type: "text", Max: domain.MaxNameLength,
				Optional: true, Hint: locale.T(lang, "adm.user.display.hint")},
			{Name: "email", ID: "u-email", Label: locale.T(lang, "adm.user.email"), Type: "email", Max: domain.MaxEmailLength,
				Optional: true, Hint: locale.T(lang, "adm.user.email.hint")},
			{Name: "role", ID: "u-role", Label: locale.T(lang, "adm.role"), Type: "select", Options: roleOptions(lang)},
			{Name: "providers", ID: "u-prov", Label: locale.T(lang, "adm.providers"), Type: "checks", Options: providers,
				Checked: map[string]bool{}, Hint: locale.T(lang, "adm.providers.hint")},
			{Name: "password", ID: "u-pass", Label: locale.T(lang, "login.password"), Type: "password", Optional: true,
				Hint: locale.T(lang, "adm.password.hint", auth.MinPasswordLength)},
		}}, nil
}

// adminUsers lists the accounts, with the form for a new one.
func (s *Handler) adminUsers(c *gin.Context) {
	form, err := s.newUserForm(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderUsers(c, http.StatusOK, &adminUsersView{Form: form})
}

// renderUsers fills the list of accounts into v and renders the page.
func (s *Handler) renderUsers(c *gin.Context, status int, v *adminUsersView) {
	lang := core.Lang(c)
	accounts, err := s.DB.ListUsers(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	now := s.Now()
	for _, a := range accounts {
		v.Users = append(v.Users, adminUserRow{Username: a.Username, Name: a.DisplayName, Email: a.Email, URL: "/admin/users/" + url.PathEscape(a.Username),
			Role: locale.T(lang, "role."+string(a.Role)), Providers: strings.Join(a.Providers, ", "),
			Created: formatTime(a.CreatedAt), Disabled: a.Disabled, Locked: a.Locked(now)})
	}
	s.Render(c, status, "admin_users", "", v)
}

// passwordMessage is the form's message for a password ValidatePassword
// refuses.
func passwordMessage(lang, pw string) string {
	if err := auth.ValidatePassword(pw); err != nil {
		switch {
		case len([]rune(pw)) < auth.MinPasswordLength:
			return locale.T(lang, "adm.v.password.short", auth.MinPasswordLength)
		case len(pw) > 72:
			return locale.T(lang, "adm.v.password.long")
		}
		return locale.T(lang, "adm.v.password.easy")
	}
	return ""
}

// newPassword makes a one-time password of 16 letters and digits in four
// groups, without characters that are easily mistaken for each other.
func newPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b strings.Builder
	buf := make([]byte, 16)
	rand.Read(buf)
	for i, x := range buf {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(alphabet[int(x)%len(alphabet)])
	}
	return b.String()
}

// parseRole reads the role and providers of an account form.
func parseRole(c *gin.Context, lang string, errs fieldErrors, providers []option) (domain.Role, []string) {
	role := domain.Role(c.PostForm("role"))
	if !role.Valid() {
		errs["role"] = locale.T(lang, "v.choose")
	}
	var chosen []string
	for _, p := range c.PostFormArray("providers") {
		if !slices.ContainsFunc(providers, func(o option) bool { return o.Value == p }) {
			errs["providers"] = locale.T(lang, "v.choose")
			continue
		}
		chosen = append(chosen, p)
	}
	if role == domain.RoleCoordinator && len(chosen) == 0 && errs["providers"] == "" {
		errs["providers"] = locale.T(lang, "adm.v.coordinator")
	}
	return role, chosen
}

// adminCreateUser makes an account, with the password given or a one-time
// password shown once.
func (s *Handler) adminCreateUser(c *gin.Context) {
	lang := core.Lang(c)
	form, err := s.newUserForm(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	errs := fieldErrors{}
	name := strings.TrimSpace(c.PostForm("username"))
	form.field("username").Value = name
	if err := domain.ValidateUsername(name); err != nil {
		errs["username"] = locale.T(lang, "adm.v.username")
	}
	display, email := domain.CleanAccountProfile(c.PostForm("display_name"), c.PostForm("email"))
	form.field("display_name").Value, form.field("email").Value = display, email
	profileErrors(lang, errs, display, email)
	role, providers := parseRole(c, lang, errs, form.field("providers").Options)
	form.field("role").Value = string(role)
	for _, p := range providers {
		form.field("providers").Checked[p] = true
	}
	pw, secret := c.PostForm("password"), ""
	if pw == "" {
		pw = newPassword()
		secret = pw
	} else if msg := passwordMessage(lang, pw); msg != "" {
		errs["password"] = msg
	}
	if len(errs) == 0 {
		hash, err := s.HashPassword(pw)
		if err != nil {
			s.Fail(c, err)
			return
		}
		err = s.DB.CreateUser(c.Request.Context(), core.CurrentUser(c).Username, domain.User{Username: name, Role: role, Providers: providers,
			DisplayName: display, Email: email}, hash, s.Now())
		switch domain.ErrorCode(err) {
		case "":
			s.ForgetDisplayNames()
		case domain.ECONFLICT:
			if errors.Is(err, store.ErrEmailTaken) {
				errs["email"] = locale.T(lang, "adm.v.email.taken")
				break
			}
			errs["username"] = locale.T(lang, "adm.v.user.taken")
		case domain.EINVALID:
			errs["form"] = locale.T(lang, "ws.v.store", err.Error())
		default:
			s.Fail(c, err)
			return
		}
	}
	if len(errs) > 0 {
		form.setErrors(errs)
		s.renderUsers(c, http.StatusUnprocessableEntity, &adminUsersView{Form: form})
		return
	}
	form, err = s.newUserForm(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	// Rendered, not redirected: the one-time password must not travel in an address.
	s.renderUsers(c, http.StatusOK, &adminUsersView{Form: form, Secret: secret, Made: name})
}

// loadAccount reads the account of the route.
func (s *Handler) loadAccount(c *gin.Context) (*store.Account, error) {
	return s.DB.FindUser(c.Request.Context(), c.Param("name"))
}

// newUserView is an account's page with its forms.
func (s *Handler) newUserView(c *gin.Context, a *store.Account) (*adminUserView, error) {
	lang := core.Lang(c)
	providers, err := s.allProviderOptions(c)
	if err != nil {
		return nil, err
	}
	base := "/admin/users/" + url.PathEscape(a.Username)
	slowed, err := s.DB.LoginSlowed(c.Request.Context(), LoginBucketOfUser(a.Username), auth.LoginRatePerUser, s.Now())
	if err != nil {
		return nil, err
	}
	v := &adminUserView{Username: a.Username, Name: a.DisplayName, Role: locale.T(lang, "role."+string(a.Role)), Disabled: a.Disabled,
		Locked: a.Locked(s.Now()) || slowed, Self: a.Username == core.CurrentUser(c).Username, Providers: strings.Join(a.Providers, ", ")}
	checked := map[string]bool{}
	for _, p := range a.Providers {
		checked[p] = true
	}
	v.RoleForm = &adminForm{ID: "role-form", Action: base, Legend: locale.T(lang, "adm.user.role"), Submit: locale.T(lang, "ws.save"),
		Fields: []formField{
			{Name: "role", ID: "r-role", Label: locale.T(lang, "adm.role"), Type: "select", Options: roleOptions(lang), Value: string(a.Role)},
			{Name: "providers", ID: "r-prov", Label: locale.T(lang, "adm.providers"), Type: "checks", Options: providers, Checked: checked,
				Hint: locale.T(lang, "adm.providers.hint")},
		}}
	v.NameForm = &adminForm{ID: "profile-form", Action: base + "/profile", Legend: locale.T(lang, "adm.user.profile"), Submit: locale.T(lang, "ws.save"),
		Fields: []formField{
			{Name: "display_name", ID: "n-display", Label: locale.T(lang, "adm.user.display"), Type: "text", Value: a.DisplayName,
				Max: domain.MaxNameLength, Optional: true, Hint: locale.T(lang, "adm.user.display.hint")},
			{Name: "email", ID: "n-email", Label: locale.T(lang, "adm.user.email"), Type: "email", Value: a.Email,
				Max: domain.MaxEmailLength, Optional: true, Hint: locale.T(lang, "adm.user.email.hint")},
		}}
	v.PassForm = &adminForm{ID: "password-form", Action: base + "/password", Legend: locale.T(lang, "adm.user.password"),
		Submit: locale.T(lang, "adm.password.reset"), Fields: []formField{
			{Name: "password", ID: "p-pass", Label: locale.T(lang, "adm.password.new"), Type: "password", Optional: true,
				Hint: locale.T(lang, "adm.password.hint", auth.MinPasswordLength)},
		}}
	return v, nil
}

// adminUser shows an account.
func (s *Handler) adminUser(c *gin.Context) {
	a, err := s.loadAccount(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v, err := s.newUserView(c, a)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if c.Query("saved") == "1" {
		v.Notice = locale.T(core.Lang(c), "ws.saved")
	}
	s.Render(c, http.StatusOK, "admin_user", "", v)
}

// adminUnlockUser lifts the slowdown of an account's logins after failed
// attempts (and a lock left from before logins were slowed down instead of
// locked), so that its owner may sign in at once.
func (s *Handler) adminUnlockUser(c *gin.Context) {
	a, err := s.loadAccount(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if err := s.DB.ResetLoginBucket(ctx, LoginBucketOfUser(a.Username)); err != nil {
		s.Fail(c, err)
		return
	}
	if err := s.DB.RecordLoginSuccess(ctx, a.Username); err != nil { // clears failed_logins and locked_until
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/users/"+url.PathEscape(a.Username)+"?saved=1")
}

// adminUpdateUser changes an account's role and providers.
func (s *Handler) adminUpdateUser(c *gin.Context) {
	lang := core.Lang(c)
	a, err := s.loadAccount(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v, err := s.newUserView(c, a)
	if err != nil {
		s.Fail(c, err)
		return
	}
	errs := fieldErrors{}
	role, providers := parseRole(c, lang, errs, v.RoleForm.field("providers").Options)
	v.RoleForm.field("role").Value = string(role)
	v.RoleForm.field("providers").Checked = map[string]bool{}
	for _, p := range providers {
		v.RoleForm.field("providers").Checked[p] = true
	}
	if v.Self && role != a.Role {
		errs["role"] = locale.T(lang, "adm.v.self.role")
	}
	if len(errs) == 0 {
		err := s.DB.SetUserRole(c.Request.Context(), core.CurrentUser(c).Username, a.Username, role, providers, s.Now())
		switch code := domain.ErrorCode(err); code {
		case "":
		case domain.EINVALID, domain.ECONFLICT:
			errs["form"] = locale.T(lang, "ws.v.store", err.Error())
		default:
			s.Fail(c, err)
			return
		}
	}
	if len(errs) > 0 {
		v.RoleForm.setErrors(errs)
		s.Render(c, http.StatusUnprocessableEntity, "admin_user", "", v)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/users/"+url.PathEscape(a.Username)+"?saved=1")
}

// adminDisableUser disables (ending their sessions) or enables an account;
// an admin does not disable themselves, and the last admin stays enabled.
func (s *Handler) adminDisableUser(disable bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		lang := core.Lang(c)
		a, err := s.loadAccount(c)
		if err != nil {
			s.Fail(c, err)
			return
		}
		refuse := func(msg string) {
			v, err := s.newUserView(c, a)
			if err != nil {
				s.Fail(c, err)
				return
			}
			v.Error = msg
			s.Render(c, http.StatusConflict, "admin_user", "", v)
		}
		if disable && a.Username == core.CurrentUser(c).Username {
			refuse(locale.T(lang, "adm.v.self.disable"))
			return
		}
		err = s.DB.SetDisabled(c.Request.Context(), core.CurrentUser(c).Username, a.Username, disable, s.Now())
		if domain.ErrorCode(err) == domain.ECONFLICT {
			refuse(locale.T(lang, "adm.v.lastadmin"))
			return
		} else if err != nil {
			s.Fail(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, "/admin/users/"+url.PathEscape(a.Username)+"?saved=1")
	}
}

// adminResetPassword sets an account's password: the one given, or a new
// one-time password shown once. Either ends the account's sessions and lifts
// a login lock.
func (s *Handler) adminResetPassword(c *gin.Context) {
	lang := core.Lang(c)
	a, err := s.loadAccount(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v, err := s.newUserView(c, a)
	if err != nil {
		s.Fail(c, err)
		return
	}
	pw, secret := c.PostForm("password"), ""
	if pw == "" {
		pw = newPassword()
		secret = pw
	} else if msg := passwordMessage(lang, pw); msg != "" {
		v.PassForm.setErrors(fieldErrors{"password": msg})
		s.Render(c, http.StatusUnprocessableEntity, "admin_user", "", v)
		return
	}
	hash, err := s.HashPassword(pw)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if err := s.DB.SetPassword(c.Request.Context(), core.CurrentUser(c).Username, a.Username, hash, s.Now()); err != nil {
		s.Fail(c, err)
		return
	}
	if a.Username == core.CurrentUser(c).Username {
		// SetPassword ended every session of the account, this one too.
		c.Redirect(http.StatusSeeOther, "/login")
		return
	}
	if a, err = s.loadAccount(c); err != nil {
		s.Fail(c, err)
		return
	}
	if v, err = s.newUserView(c, a); err != nil {
		s.Fail(c, err)
		return
	}
	v.Notice, v.Secret = locale.T(lang, "adm.password.done"), secret
	s.Render(c, http.StatusOK, "admin_user", "", v)
}

// profileErrors puts each rule domain.CheckAccountProfile finds in a
// display name and e-mail address beside its field.
func profileErrors(lang string, errs fieldErrors, name, email string) {
	for _, fe := range domain.CheckAccountProfile(name, email) {
		if errs[fe.Field] == "" {
			errs[fe.Field] = locale.T(lang, "adm.v.profile."+fe.Field, fe.Text.In(lang))
		}
	}
}

// adminUserProfile sets an account's display name and e-mail address.
func (s *Handler) adminUserProfile(c *gin.Context) {
	lang := core.Lang(c)
	a, err := s.loadAccount(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	name, email := domain.CleanAccountProfile(c.PostForm("display_name"), c.PostForm("email"))
	errs := fieldErrors{}
	profileErrors(lang, errs, name, email)
	if len(errs) == 0 {
		err := s.DB.SetUserProfile(c.Request.Context(), core.CurrentUser(c).Username, a.Username, name, email, s.Now())
		switch {
		case err == nil:
			s.ForgetDisplayNames()
			c.Redirect(http.StatusSeeOther, "/admin/users/"+url.PathEscape(a.Username)+"?saved=1")
			return
		case errors.Is(err, store.ErrEmailTaken):
			errs["email"] = locale.T(lang, "adm.v.email.taken")
		case domain.ErrorCode(err) == domain.EINVALID:
			errs["form"] = locale.T(lang, "ws.v.store", domain.MessageIn(err, lang))
		default:
			s.Fail(c, err)
			return
		}
	}
	v, err := s.newUserView(c, a)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v.NameForm.field("display_name").Value, v.NameForm.field("email").Value = name, email
	v.NameForm.setErrors(errs)
	s.Render(c, http.StatusUnprocessableEntity, "admin_user", "", v)
}
