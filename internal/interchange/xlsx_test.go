package interchange

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/domain"
)

const conformanceXLSX = "../../testdata/xlsx/conformance.xlsx"

// TestXLSX reads the conformance data set as a workbook with real date and
// number cells and wants exactly the conformance records. With -update it
// first regenerates the workbook.
func TestXLSX(t *testing.T) {
	if *update {
		writeConformanceXLSX(t)
	}
	want := readClean(t, v1Dir)
	got := readClean(t, conformanceXLSX)
	if !reflect.DeepEqual(got.DataSet, want.DataSet) {
		diffDataSets(t, &got.DataSet, &want.DataSet)
	}
	if !slices.Equal(got.Ignored, []string{"Notes"}) {
		t.Errorf("ignored %v, want [Notes]", got.Ignored)
	}
	if p := got.Pos["learners"][0].String(); p != "Learners!2" {
		t.Errorf("first learner at %s, want Learners!2", p)
	}

	// Guard the generated workbook: dates and numbers are cells of those types.
	f, err := excelize.OpenFile(conformanceXLSX)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, cell := range []struct{ sheet, cell string }{
		{"Learners", "D2"},    // birth_date, a date cell
		{"groups", "D2"},      // end_date, a bare serial number
		{"enrollments", "F2"}, // hours_attended
		{"modules", "H2"},     // nominal_hours
	} {
		v, err := f.GetCellValue(cell.sheet, cell.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			t.Errorf("%s!%s = %q, want a number cell", cell.sheet, cell.cell, v)
		}
	}
}

// writeConformanceXLSX writes the conformance CSV files as one workbook:
// dates as real date cells (groups.end_date as bare serial numbers, follow-up
// dates as DD/MM/YYYY text), whole numbers and hours as number cells, the
// learners sheet named "Learners" and an extra "Notes" sheet to be ignored.
func writeConformanceXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	dateFmt := "dd/mm/yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetName("Sheet1", "Notes"); err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("Notes", "A1", "Generated from testdata/conformance by TestXLSX -update.")
	for i := range Entities {
		ent := &Entities[i]
		sheet := ent.Name
		if sheet == "learners" {
			sheet = "Learners"
		}
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		file, err := os.Open(filepath.Join(v1Dir, ent.File))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(file).ReadAll()
		file.Close()
		if err != nil {
			t.Fatal(err)
		}
		for r, rec := range recs {
			for c, v := range rec {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if v == "" {
					continue
				}
				if r == 0 {
					f.SetCellValue(sheet, cell, v)
					continue
				}
				if err := setTyped(f, sheet, cell, ent.Name, recs[0][c], v, dateStyle); err != nil {
					t.Fatalf("%s %s: %v", sheet, cell, err)
				}
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(conformanceXLSX), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(conformanceXLSX); err != nil {
		t.Fatal(err)
	}
}

func setTyped(f *excelize.File, sheet, cell, entity, column, v string, dateStyle int) error {
	switch {
	case strings.HasSuffix(column, "date"):
		d := domain.MustDate(v)
		switch {
		case entity == "followups":
			return f.SetCellValue(sheet, cell, d.Time().Format("02/01/2006"))
		case entity == "groups" && column == "end_date":
			return f.SetCellValue(sheet, cell, excelSerial(d.Time()))
		}
		if err := f.SetCellValue(sheet, cell, d.Time()); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, cell, cell, dateStyle)
	case column == "nominal_hours" || column == "planned_hours" || column == "schooling_years":
		n, err := strconv.Atoi(v)
		if err != nil {
			return err
		}
		return f.SetCellValue(sheet, cell, n)
	case column == "hours_attended":
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return err
		}
		return f.SetCellValue(sheet, cell, x)
	}
	return f.SetCellValue(sheet, cell, v)
}

// excelSerial is the 1900-system serial number of a date after 1900-03-01.
func excelSerial(t time.Time) int {
	return int(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}
