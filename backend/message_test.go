package backend_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"roster/backend"
)

// TestMessageCalls reads the Go sources of backend and app and checks every
// MsgX.Error(code, "name", value, …) and MsgX.FieldError(code, field,
// "name", value, …): the message is declared and each argument name is one
// it declares.
func TestMessageCalls(t *testing.T) {
	calls := 0
	for _, dir := range []string{".", "../app"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "Error" && sel.Sel.Name != "FieldError") {
					return true
				}
				name := ""
				switch x := sel.X.(type) {
				case *ast.Ident:
					name = x.Name
				case *ast.SelectorExpr:
					name = x.Sel.Name
				}
				if !strings.HasPrefix(name, "Msg") {
					return true
				}
				calls++
				m := declared(name)
				if m == nil {
					t.Errorf("%s: %s is not a declared message", fset.Position(call.Pos()), name)
					return true
				}
				first := 1
				if sel.Sel.Name == "FieldError" {
					first = 2
				}
				for i := first; i < len(call.Args); i += 2 {
					lit, ok := call.Args[i].(*ast.BasicLit)
					if !ok {
						continue // a spread of pairs built elsewhere
					}
					arg, _ := strconv.Unquote(lit.Value)
					if !m.Has(arg) {
						t.Errorf("%s: %s has no argument %q", fset.Position(lit.Pos()), m.Key, arg)
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if calls == 0 {
		t.Fatal("found no message calls")
	}
}

// declared finds the declaration a MsgX variable names, by the variable
// names that backend/messages.go derives from the keys.
func declared(name string) *backend.Message {
	for _, m := range backend.Messages() {
		if varName(m.Key) == name {
			return m
		}
	}
	return nil
}

func varName(key string) string {
	var b strings.Builder
	b.WriteString("Msg")
	for _, part := range strings.FieldsFunc(key, func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
