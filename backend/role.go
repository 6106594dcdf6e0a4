package backend

// Permission is one thing a role allows.
type Permission string

// The permissions of the guide's role table.
const (
	PermChat            Permission = "chat"
	PermUseSkills       Permission = "use_skills"
	PermCreateSkills    Permission = "create_skills"
	PermManageUsers     Permission = "manage_users"
	PermChangeSettings  Permission = "change_settings"
	PermConfigureModels Permission = "configure_models"
)

// The ids of the built-in roles.
const (
	RoleUser          = "user"
	RoleAdministrator = "administrator"
)
