//! The CAR data model (`data_model/*.yaml` of mitre-attack/car): objects, their actions and
//! fields, and the name a pseudocode program gives a collection of each object's events.

/// One data-model object.
#[derive(Debug)]
pub struct Object {
    /// Lower-case name, as in `data_model_references` (`process`, `user_session`).
    pub name: &'static str,
    /// The variable that holds the searched events (`processes = search Process:Create`).
    pub collection: &'static str,
    pub actions: &'static [&'static str],
    pub fields: &'static [&'static str],
}

/// Every object of the data model.
pub const OBJECTS: &[Object] = &[
    Object {
        name: "process",
        collection: "processes",
        actions: &["create", "terminate", "access"],
        fields: &[
            "fqdn",
            "hostname",
            "command_line",
            "exe",
            "image_path",
            "md5_hash",
            "sha1_hash",
            "sha256_hash",
            "parent_exe",
            "parent_image_path",
            "pid",
            "ppid",
            "sid",
            "signer",
            "user",
            "integrity_level",
            "parent_command_line",
            "current_working_directory",
            "env_vars",
            "access_level",
            "call_trace",
            "guid",
            "parent_guid",
            "signature_valid",
            "target_guid",
            "target_pid",
            "target_address",
            "target_name",
            "uid",
        ],
    },
    Object {
        name: "file",
        collection: "files",
        actions: &[
            "timestomp",
            "create",
            "delete",
            "modify",
            "read",
            "write",
            "acl_modify",
        ],
        fields: &[
            "creation_time",
            "file_name",
            "fqdn",
            "hostname",
            "image_path",
            "md5_hash",
            "sha1_hash",
            "sha256_hash",
            "pid",
            "ppid",
            "previous_creation_time",
            "signer",
            "user",
            "company",
            "file_path",
            "owner_uid",
            "owner",
            "content",
            "extension",
            "gid",
            "group",
            "link_target",
            "mime_type",
            "mode",
            "signature_valid",
            "uid",
        ],
    },
    Object {
        name: "flow",
        collection: "flows",
        actions: &["start", "end", "message"],
        fields: &[
            "fqdn",
            "hostname",
            "content",
            "dest_ip",
            "dest_port",
            "src_ip",
            "src_port",
            "start_time",
            "end_time",
            "exe",
            "image_path",
            "packet_count",
            "pid",
            "ppid",
            "proto_info",
            "user",
            "src_fqdn",
            "src_hostname",
            "dest_fqdn",
            "dest_hostname",
            "application_protocol",
            "in_bytes",
            "out_bytes",
            "network_direction",
            "tcp_flags",
            "transport_protocol",
            "uid",
        ],
    },
    Object {
        name: "registry",
        collection: "registry_keys",
        actions: &["add", "remove", "value_edit", "key_edit"],
        fields: &[
            "fqdn",
            "hostname",
            "key",
            "value",
            "data",
            "type",
            "hive",
            "image_path",
            "pid",
            "user",
            "new_content",
        ],
    },
    Object {
        name: "module",
        collection: "modules",
        actions: &["load", "unload"],
        fields: &[
            "fqdn",
            "hostname",
            "base_address",
            "image_path",
            "md5_hash",
            "sha1_hash",
            "sha256_hash",
            "module_path",
            "module_name",
            "pid",
            "signer",
            "tid",
            "signature_valid",
        ],
    },
    Object {
        name: "thread",
        collection: "threads",
        actions: &["create", "suspend", "terminate", "remote_create"],
        fields: &[
            "hostname",
            "src_pid",
            "src_tid",
            "tgt_pid",
            "tgt_tid",
            "stack_base",
            "stack_limit",
            "start_address",
            "user",
            "user_stack_base",
            "user_stack_limit",
            "start_function",
            "start_module",
            "start_module_name",
            "uid",
        ],
    },
    Object {
        name: "user_session",
        collection: "user_sessions",
        actions: &["lock", "login", "logout", "reconnect", "unlock"],
        fields: &[
            "dest_ip",
            "dest_port",
            "hostname",
            "login_id",
            "src_ip",
            "src_port",
            "user",
            "login_type",
            "uid",
            "login_successful",
        ],
    },
    Object {
        name: "driver",
        collection: "drivers",
        actions: &["load", "unload"],
        fields: &[
            "fqdn",
            "hostname",
            "base_address",
            "image_path",
            "md5_hash",
            "sha1_hash",
            "sha256_hash",
            "module_name",
            "signer",
            "pid",
            "signature_valid",
        ],
    },
    Object {
        name: "authentication",
        collection: "authentications",
        actions: &["success", "failure", "error"],
        fields: &[
            "app_name",
            "method",
            "auth_service",
            "auth_target",
            "target_ad_domain",
            "decision_reason",
            "response_time",
            "fqdn",
            "hostname",
            "ad_domain",
            "uid",
            "user_role",
            "user_type",
            "user",
            "user_agent",
            "target_uid",
            "target_user_role",
            "target_user_type",
            "target_user",
        ],
    },
    Object {
        name: "service",
        collection: "services",
        actions: &["create", "delete", "pause", "start", "stop"],
        fields: &[
            "fqdn",
            "hostname",
            "user",
            "command_line",
            "exe",
            "image_path",
            "name",
            "pid",
            "ppid",
            "uid",
        ],
    },
    Object {
        name: "socket",
        collection: "sockets",
        actions: &["bind", "listen", "close"],
        fields: &[
            "pid",
            "image_path",
            "success",
            "family",
            "protocol",
            "local_address",
            "local_port",
            "remote_port",
            "remote_address",
            "local_path",
        ],
    },
    Object {
        name: "http",
        collection: "http_requests",
        actions: &["get", "post", "put", "tunnel"],
        fields: &[
            "hostname",
            "request_body_bytes",
            "http_version",
            "request_body_content",
            "request_referrer",
            "requester_ip_address",
            "response_body_bytes",
            "response_body_content",
            "response_status_code",
            "url_full",
            "url_domain",
            "url_remainder",
            "url_scheme",
            "user_agent_full",
            "user_agent_name",
            "user_agent_device",
            "user_agent_version",
        ],
    },
    Object {
        name: "email",
        collection: "emails",
        actions: &["deliver", "block", "redirect", "quarantine", "delete"],
        fields: &[
            "action_reason",
            "attachment_name",
            "attachment_size",
            "attachment_mime_type",
            "dest_ip",
            "dest_port",
            "dest_address",
            "date",
            "server_relay",
            "from",
            "smtp_uid",
            "message_links",
            "src_address",
            "src_domain",
            "return_address",
            "message_body",
            "subject",
            "src_ip",
            "src_port",
            "message_type",
            "to",
        ],
    },
];

/// The object called `name` (lower case, as in the data model).
pub fn object(name: &str) -> Option<&'static Object> {
    OBJECTS.iter().find(|o| o.name == name)
}

impl Object {
    pub fn has_field(&self, field: &str) -> bool {
        self.fields.contains(&field)
    }

    pub fn has_action(&self, action: &str) -> bool {
        self.actions.contains(&action)
    }
}

/// A data-model name as pseudocode writes it: each `_`-separated word capitalised
/// (`process` → `Process`, `value_edit` → `Value_Edit`, `user_session` → `User_Session`).
pub fn title_case(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_title_cased_per_word() {
        assert_eq!(title_case("process"), "Process");
        assert_eq!(title_case("value_edit"), "Value_Edit");
        assert_eq!(title_case("user_session"), "User_Session");
    }

    #[test]
    fn objects_are_unique_and_fields_are_plain_words() {
        for (i, o) in OBJECTS.iter().enumerate() {
            assert!(OBJECTS[..i].iter().all(|p| p.name != o.name), "{}", o.name);
            assert!(
                o.fields.iter().all(|f| f
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')),
                "{}",
                o.name
            );
        }
        assert!(object("process").is_some_and(|p| p.has_field("exe") && p.has_action("create")));
    }
}
