// Package risk is the early warning of early leaving of spec/
// early-warning.md: for every open enrollment on a judgement day, the
// chance that its learner leaves it early within the next eight weeks, and
// the facts that raise that chance.
//
// It is pure like internal/indicator: the installation's records and the
// register in (Input), features, a fitted model, estimates and validation
// figures out; no database, no clock. Every feature is computed only from
// what is known on the judgement day. The model is a penalised logistic
// regression fitted with gonum's L-BFGS (model.go says how the features
// are coded); its estimates decompose exactly into one contribution per
// feature, and the reasons of an estimate are the largest of them. The
// counsellor's flags it is compared with are internal/signal's, the flags
// the learner list shows. Country of birth, home language and name never
// enter the model.
package risk
