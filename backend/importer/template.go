package importer

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"roster/backend"
	"roster/backend/export"
)

// rolesSheet holds the role names of the XLSX template's drop-down when they
// cannot be listed in the validation itself.
const rolesSheet = "Roles"

// WriteTemplate writes the file the administrator fills in: in CSV, the
// header email,role and nothing else; in XLSX, a sheet Invitations with the
// same two columns and a drop-down of the current roles in the role column.
// EINVALID for another format.
func (s *Service) WriteTemplate(ctx context.Context, w io.Writer, format export.Format) error {
	switch format {
	case export.CSV:
		return export.WriteCSV(w, templateColumns, func(func([]string) bool) {})
	case export.XLSX:
		roles, err := s.roles.FindRoles(ctx)
		if err != nil {
			return fmt.Errorf("write template: %w", err)
		}
		names := make([]string, len(roles))
		for i, r := range roles {
			names[i] = r.Name
		}
		return writeXLSXTemplate(w, names)
	}
	return (&backend.Error{Code: backend.EINVALID, Field: "format",
		Message: "The template comes as CSV or XLSX."}).WithKey("import.template_format", nil)
}

// writeXLSXTemplate writes the XLSX template with a drop-down of roles.
func writeXLSXTemplate(w io.Writer, roles []string) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	sheet := invitationsSheet
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	header := make([]any, len(templateColumns))
	for i, c := range templateColumns {
		header[i] = c
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "B1", bold); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 40); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 24); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}

	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("B2:B%d", maxRows+1)
	if !inlineList(roles) || dv.SetDropList(roles) != nil {
		// Names with commas or quotes, or too many for the 255 characters
		// of a list, go on a hidden sheet the drop-down refers to.
		if _, err := f.NewSheet(rolesSheet); err != nil {
			return err
		}
		for i, name := range roles {
			if err := f.SetCellStr(rolesSheet, fmt.Sprintf("A%d", i+1), name); err != nil {
				return err
			}
		}
		if err := f.SetSheetVisible(rolesSheet, false); err != nil {
			return err
		}
		dv.SetSqrefDropList(fmt.Sprintf("%s!$A$1:$A$%d", rolesSheet, max(len(roles), 1)))
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "Unknown role", "Choose one of the roles in the list.")
	if err := f.AddDataValidation(sheet, dv); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// inlineList reports whether role names can be listed in a validation
// formula as they are.
func inlineList(names []string) bool {
	for _, n := range names {
		if strings.ContainsAny(n, `,"`) || strings.HasPrefix(n, "=") {
			return false
		}
	}
	return len(names) > 0
}
