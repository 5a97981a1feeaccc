package domain

import (
	"strings"

	"github.com/traject-nt2/traject/internal/locale"
)

// Skill is one of the five CEFR skills, used as an index into Levels.
type Skill int

// The five skills in the order of the interchange columns.
const (
	Listening Skill = iota
	Reading
	SpokenInteraction
	SpokenProduction
	Writing
	NumSkills = 5
)

// SkillCodes are the codes of the skills, indexed by Skill.
var SkillCodes = [NumSkills]string{"listening", "reading", "spoken_interaction", "spoken_production", "writing"}

func (s Skill) String() string { return SkillCodes[s] }

// Key is the catalogue key of the skill's name, skill.<code>.
func (s Skill) Key() string { return "skill." + SkillCodes[s] }

// ParseSkill reads a skill code, case-insensitively.
func ParseSkill(v string) (Skill, error) {
	low := strings.ToLower(strings.TrimSpace(v))
	for i, c := range SkillCodes {
		if c == low {
			return Skill(i), nil
		}
	}
	return 0, locale.Errorf("parse.skill", strings.TrimSpace(v), strings.Join(SkillCodes[:], ", "))
}

// SkillSet is a set of skills as a bit mask.
type SkillSet uint8

// AllSkills holds all five skills.
const AllSkills SkillSet = 1<<NumSkills - 1

// Has reports whether s holds skill k.
func (s SkillSet) Has(k Skill) bool { return s&(1<<k) != 0 }

// ParseSkillSet reads a ';'-separated list of skills; blank means all five.
func ParseSkillSet(v string) (SkillSet, error) {
	if strings.TrimSpace(v) == "" {
		return AllSkills, nil
	}
	var set SkillSet
	for _, part := range strings.Split(v, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, err := ParseSkill(part)
		if err != nil {
			return 0, err
		}
		set |= 1 << k
	}
	if set == 0 {
		return AllSkills, nil
	}
	return set, nil
}

// String writes the set as ';'-separated codes in ladder column order.
func (s SkillSet) String() string {
	var parts []string
	for k := Skill(0); k < NumSkills; k++ {
		if s.Has(k) {
			parts = append(parts, SkillCodes[k])
		}
	}
	return strings.Join(parts, ";")
}

// Levels holds a level per skill, NoLevel where a skill was not assessed.
type Levels [NumSkills]Level

// NoLevels is a Levels value with no skill assessed.
var NoLevels = Levels{NoLevel, NoLevel, NoLevel, NoLevel, NoLevel}

// Assessed reports whether at least one skill has a level.
func (l Levels) Assessed() bool {
	for _, v := range l {
		if v != NoLevel {
			return true
		}
	}
	return false
}
