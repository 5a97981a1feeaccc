package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/signal"
	"github.com/traject-nt2/traject/internal/store"
)

// The OpenAPI 3.1 document of the API, built here beside the handlers
// (api.go) so that a test can hold it against the routes gin registered.

// obj is a JSON object of the document.
type obj = map[string]any

// openAPIDocument returns the document.
func openAPIDocument() obj {
	str := obj{"type": "string"}
	nullStr := obj{"type": []string{"string", "null"}}
	date := obj{"type": "string", "format": "date"}
	nullDate := obj{"type": []string{"string", "null"}, "format": "date"}
	level := obj{"type": []string{"string", "null"}, "enum": append(append([]any{}, toAny(domain.Ladder[:])...), nil)}
	ref := func(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }
	query := func(name, desc string, schema obj, required bool) obj {
		return obj{"name": name, "in": "query", "description": desc, "required": required, "schema": schema}
	}
	errResp := func(desc string) obj {
		return obj{"description": desc, "content": obj{"application/json": obj{"schema": ref("Error")}}}
	}
	errors := func(codes ...string) obj {
		m := obj{}
		for _, c := range codes {
			switch c {
			case "400":
				m[c] = errResp("Invalid parameters (code invalid).")
			case "401":
				m[c] = obj{"description": "No token, or an unknown, expired or revoked one (code unauthorized).",
					"headers": obj{"WWW-Authenticate": obj{"schema": str}},
					"content": obj{"application/json": obj{"schema": ref("Error")}}}
			case "403":
				m[c] = errResp("The token's owner may not do this (code forbidden).")
			case "404":
				m[c] = errResp("No such record (code not_found).")
			case "500":
				m[c] = errResp("Internal error (code internal).")
			}
		}
		return m
	}
	ok := func(desc, schema string, extra obj) obj {
		m := errors("400", "401", "403", "500")
		for k, v := range extra {
			m[k] = v
		}
		m["200"] = obj{"description": desc, "content": obj{"application/json": obj{"schema": ref(schema)}}}
		return m
	}
	period := []any{
		query("from", "First day of the reporting period.", date, true),
		query("to", "Last day of the reporting period (inclusive).", date, true),
		query("as_of", "The day on which open cases are judged; default: to.", date, false),
		query("provider", "Restrict to one provider (code). A coordinator must name one of their own providers; an admin may leave it out for all providers.", str, false),
		query("statutory_months", "The statutory period for access, in months.", obj{"type": "integer", "minimum": 0, "default": domain.DefaultStatutoryMonths}, false),
		query("waiting_list_months", "A referral still waiting after this many months is on the waiting list.", obj{"type": "integer", "minimum": 0, "default": domain.DefaultWaitingListMonths}, false),
		query("grace_days", "Days after a group's planned end in which a pass or certificate still counts as on time.", obj{"type": "integer", "minimum": 0, "default": domain.DefaultGraceDays}, false),
		query("min_hours", "Attended hours that make a learner a participant for learning gain.", obj{"type": "number", "minimum": 0, "default": domain.DefaultMinHours}, false),
		query("followup_months", "Window after outflow in which a follow-up counts, in months.", obj{"type": "integer", "minimum": 0, "default": domain.DefaultFollowupMonths}, false),
	}
	with := func(ps []any, more ...any) []any { return append(append([]any{}, ps...), more...) }
	bearer := []any{obj{"bearerAuth": []any{}}}

	countOrSup := obj{"oneOf": []any{obj{"type": "integer", "minimum": 0}, obj{"const": indicator.SuppressedText}},
		"description": fmt.Sprintf("A count; with suppress=true a count from 1 to %d is the string %q.", indicator.SmallCellMax, indicator.SuppressedText)}
	num := obj{"type": []string{"number", "null"},
		"description": fmt.Sprintf("A rate, mean or median; null when its denominator is 0 (or, with suppress=true, below %d).", indicator.MinDenominator)}
	counts := obj{"type": "object", "additionalProperties": countOrSup}
	props := func(count []string, nums []string, extra obj) obj {
		p := obj{}
		for _, c := range count {
			p[c] = countOrSup
		}
		for _, n := range nums {
			p[n] = num
		}
		for k, v := range extra {
			p[k] = v
		}
		req := append(append([]string{}, count...), nums...)
		req = append(req, slices.Sorted(maps.Keys(extra))...) // sorted: the same document on every start
		return obj{"type": "object", "properties": p, "required": req}
	}
	skill := props([]string{"assessed", "gained"}, []string{"mean_gain"}, nil)
	skills := obj{}
	for _, s := range domain.SkillCodes {
		skills[s] = skill
	}
	bySkill := obj{"type": "object", "properties": skills, "required": domain.SkillCodes[:]}

	schemas := obj{
		"Error": obj{"type": "object", "required": []string{"error"}, "properties": obj{
			"error": obj{"type": "object", "required": []string{"code", "message"}, "properties": obj{
				"code":    obj{"type": "string", "enum": []string{domain.EINVALID, core.EBadRequest, auth.EUNAUTHORIZED, domain.EFORBIDDEN, domain.ENOTFOUND, domain.EINTERNAL}},
				"message": str}}}},
		"Indicators": obj{"type": "object", "properties": obj{
			"access": props([]string{"cohort", "on_time", "late", "waiting_overdue", "waiting_in_term", "waiting_list"},
				[]string{"rate", "median_days_to_start"}, nil),
			"progress":      props([]string{"cohort", "on_track"}, []string{"rate", "attendance_rate"}, nil),
			"certification": props([]string{"cohort", "certified"}, []string{"rate"}, nil),
			"learning_gain": props([]string{"participants", "assessed", "gained"}, []string{"rate", "mean_gain"}, obj{"by_skill": bySkill}),
			"outflow": props([]string{"total", "qualified", "transfer", "early_leaver"}, []string{"qualified_rate", "early_leaver_rate"},
				obj{"reasons": counts, "destinations": counts}),
			"effects": props([]string{"followed_up", "positive"}, []string{"rate"}, nil),
		}},
		"Period": obj{"type": "object", "required": []string{"from", "to", "as_of"},
			"properties": obj{"from": date, "to": date, "as_of": date}},
		"Parameters": obj{"type": "object", "properties": obj{"statutory_months": obj{"type": "integer"},
			"waiting_list_months": obj{"type": "integer"}, "grace_days": obj{"type": "integer"},
			"min_hours": obj{"type": "number"}, "followup_months": obj{"type": "integer"}}},
		"IndicatorResult": obj{"type": "object", "description": "The JSON form of spec/indicators.md, as `traject indicators --format json` writes it.",
			"required": []string{"period", "provider", "parameters", "indicators", "breakdowns"},
			"properties": obj{"period": ref("Period"), "provider": nullStr, "parameters": ref("Parameters"),
				"indicators": ref("Indicators"),
				"breakdowns": obj{"type": "object", "description": "Per breakdown (" + strings.Join(indicator.BreakdownNames[:], ", ") +
					") and key, the indicators over that key's cases (target_level: progress and certification only).",
					"additionalProperties": obj{"type": "object", "additionalProperties": ref("Indicators")}}}},
		"Case": obj{"type": "object", "required": []string{"indicator", "class", "learner", "provider", "date", "attributes"},
			"properties": obj{"indicator": obj{"type": "string", "enum": indicator.IndicatorNames[:]}, "class": str,
				"learner":  obj{"type": []string{"string", "null"}, "description": "null for a learner the token's owner may not see, and for an anonymous survey answer"},
				"provider": nullStr, "providers": obj{"type": "array", "items": str}, "date": nullDate, "ref": str,
				"evidence": date, "deadline": date, "days": obj{"type": "integer"}, "days_to_start": obj{"type": "integer"},
				"waiting_list": obj{"type": "boolean"}, "hours": obj{"type": "number"}, "planned_hours": obj{"type": "number"},
				"skills": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"skill": str,
					"baseline_date": nullDate, "baseline": level, "end_date": nullDate, "end": level,
					"gain": obj{"type": []string{"integer", "null"}}}}},
				"reason": str, "destination": str, "status": str,
				"score":       obj{"type": "integer", "description": "wellbeing, involvement: the last score; survey: the answer's score"},
				"first_score": obj{"type": "integer"}, "first_date": date, "dates": obj{"type": "integer"},
				"attributes": obj{"type": "object", "additionalProperties": str}, "detail": obj{"type": "string", "description": "a short explanation of the class, in the language of Accept-Language (nl or en; Dutch by default); left out with the learner"}}},
		"CaseList": obj{"type": "object", "required": []string{"period", "provider", "parameters", "indicator", "class", "breakdown", "count", "cases"},
			"properties": obj{"period": ref("Period"), "provider": nullStr, "parameters": ref("Parameters"),
				"indicator": str, "class": nullStr, "breakdown": nullStr, "count": obj{"type": "integer"},
				"cases": obj{"type": "array", "items": ref("Case")}}},
		"Flag": obj{"type": "object", "required": []string{"kind"}, "properties": obj{
			"kind": obj{"type": "string", "enum": signal.Kinds}, "days": obj{"type": "integer"}}},
		"LearnerPage": obj{"type": "object", "required": []string{"total", "page", "per_page", "pages", "as_of", "learners"},
			"properties": obj{"total": obj{"type": "integer"}, "page": obj{"type": "integer"}, "per_page": obj{"type": "integer"},
				"pages": obj{"type": "integer"}, "as_of": date,
				"learners": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"id": str, "first_name": str,
					"last_name": str, "counsellor": str, "flags": obj{"type": "array", "items": ref("Flag")}}}}}},
		"Levels": obj{"type": "object", "properties": obj{"listening": level, "reading": level,
			"spoken_interaction": level, "spoken_production": level, "writing": level}},
		"LearnerFile": obj{"type": "object", "description": "A learner and their trajectory, with the columns of spec/interchange.md.",
			"required": []string{"learner", "flags", "goals", "referrals", "placements", "enrollments", "evaluations", "certificates", "outflows", "followups"},
			"properties": obj{
				"learner": obj{"type": "object", "properties": obj{"id": str, "first_name": str, "last_name": str,
					"birth_date": nullDate, "gender": str, "home_language": str, "country_of_birth": str,
					"schooling_level": str, "schooling_years": obj{"type": []string{"integer", "null"}}, "literacy": str,
					"learning_route": str, "civic_status": str, "perspective": str, "counsellor": str}},
				"flags":      obj{"type": "array", "items": ref("Flag")},
				"goals":      array(obj{"skill": str, "target_level": level, "set_date": nullDate, "target_date": nullDate}),
				"referrals":  array(obj{"date": nullDate, "source": str, "provider": nullStr}),
				"placements": array(obj{"date": nullDate, "module": str, "method": str, "levels": ref("Levels")}),
				"enrollments": array(obj{"group": str, "module": str, "provider": str, "teacher": nullStr,
					"start_date": nullDate, "end_date": nullDate, "status": str, "hours_attended": obj{"type": "number"},
					"group_start_date": nullDate, "group_end_date": nullDate, "planned_hours": obj{"type": "integer"}}),
				"evaluations": array(obj{"group": nullStr, "date": nullDate, "kind": str, "levels": ref("Levels"),
					"decision": str, "evaluator": nullStr, "feedback": nullStr}),
				"certificates": array(obj{"kind": str, "module": nullStr, "date": nullDate, "number": nullStr, "level": level}),
				"outflows":     array(obj{"date": nullDate, "type": str, "reason": nullStr, "destination": nullStr, "provider": nullStr}),
				"followups":    array(obj{"date": nullDate, "status": str}),
			}},
	}

	paths := obj{
		Prefix + "/openapi.json": obj{"get": obj{"operationId": "openapi", "summary": "This document.", "security": []any{},
			"responses": obj{"200": obj{"description": "The OpenAPI document.", "content": obj{"application/json": obj{"schema": obj{"type": "object"}}}}}}},
		Prefix + "/indicators": obj{"get": obj{"operationId": "indicators",
			"summary":     "The six indicators with every breakdown, as `traject indicators --format json`.",
			"description": "Cached per query; the cache is dropped whenever the database changes.",
			"security":    bearer,
			"parameters": with(period, query("suppress", fmt.Sprintf("Apply the small-cell rule: counts 1-%d become %q, rates and means over fewer than %d cases null.",
				indicator.SmallCellMax, indicator.SuppressedText, indicator.MinDenominator), obj{"type": "boolean", "default": false}, false)),
			"responses": ok("The indicators.", "IndicatorResult", errors("404"))}},
		Prefix + "/indicators/explain": obj{"get": obj{"operationId": "explain",
			"summary":  "The cases behind one number, as `traject indicators explain`, each with its class.",
			"security": bearer,
			"parameters": with(period,
				query("indicator", "The indicator.", obj{"type": "string", "enum": indicator.IndicatorNames[:]}, true),
				query("class", "A class (e.g. late) or a count field of the JSON form (waiting_list, judged, started, by_skill.reading.gained, reasons.work, …).", str, false),
				query("breakdown", "Only the cases under one breakdown key, as name=key (e.g. provider=CVO-A, gender=f).", str, false),
				obj{"name": "Accept-Language", "in": "header", "required": false, "schema": str,
					"description": "The language of each case's detail: nl or en (the most preferred of them); without either, Dutch. The response's Content-Language names it."}),
			"responses": ok("The cases.", "CaseList", errors("404"))}},
		Prefix + "/learners": obj{"get": obj{"operationId": "learners",
			"summary":  "The learners the token's owner may see, by name, a page at a time.",
			"security": bearer,
			"parameters": []any{
				query("q", "Part of the name or learner number.", str, false),
				query("flag", "Only learners with this flag.", obj{"type": "string", "enum": signal.Kinds}, false),
				query("page", "Page number.", obj{"type": "integer", "minimum": 1, "default": 1}, false),
				query("per_page", "Learners per page.", obj{"type": "integer", "minimum": 1, "maximum": apiMaxPerPage, "default": store.DefaultPageSize}, false)},
			"responses": ok("A page of learners.", "LearnerPage", nil)}},
		Prefix + "/learners/{id}": obj{"get": obj{"operationId": "learner",
			"summary":     "One learner with referrals, placements, enrollments, evaluations, certificates, outflows, follow-ups and goals.",
			"description": "Each read is recorded in the learner's audit trail (who, when), as opening the learner's page is.",
			"security":    bearer,
			"parameters":  []any{obj{"name": "id", "in": "path", "required": true, "description": "The learner's id.", "schema": str}},
			"responses":   ok("The learner.", "LearnerFile", errors("404"))}},
	}

	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": "Traject API", "version": "1",
			"description": "Read access to Traject's indicators (spec/indicators.md) and learners. Authenticate with an API token " +
				"(`traject token create --username U [--expires 90d]`) as `Authorization: Bearer trj_…`. Errors are " +
				"`{\"error\": {\"code\": …, \"message\": …}}`."},
		"servers":    []any{obj{"url": "/"}},
		"security":   bearer,
		"paths":      paths,
		"components": obj{"securitySchemes": obj{"bearerAuth": obj{"type": "http", "scheme": "bearer", "bearerFormat": "trj_…"}}, "schemas": schemas},
	}
}

// array is an array schema of objects with the given properties.
func array(props obj) obj {
	return obj{"type": "array", "items": obj{"type": "object", "properties": props}}
}

// toAny converts strings for an enum.
func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// openAPIJSON is the document, marshalled once.
var openAPIJSON = sync.OnceValues(func() ([]byte, error) {
	return json.MarshalIndent(openAPIDocument(), "", "  ")
})

// openAPI serves the document; it is public, like the routes it names.
func (h *Handler) openAPI(c *gin.Context) {
	b, err := openAPIJSON()
	if err != nil {
		h.FailJSON(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}
