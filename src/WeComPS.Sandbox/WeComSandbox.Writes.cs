using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeComPS.Sandbox
{
    // The write side of the contacts API: departments, members and tags, with WeCom's rules and errcodes.
    public sealed partial class WeComSandbox
    {
        private const int RootDepartmentId = 1;
        private const int MaxDepartments = 30000;
        private const int MaxDepth = 15;
        private const long OrderLimit = 1L << 32;
        private static readonly char[] IllegalDepartmentChars = { '\\', ':', '*', '?', '"', '<', '>', '|' };

        private Dictionary<string, Func<Call, JsonObject>> WriteRoutes()
        {
            // Changing departments and members takes the contacts-sync secret.
            static Func<Call, JsonObject> Sync(Func<Call, JsonObject> route) => c =>
            {
                RequireContactsSync(c.App);
                return route(c);
            };

            return new Dictionary<string, Func<Call, JsonObject>>(StringComparer.Ordinal)
            {
                ["department/create"] = Sync(CreateDepartment),
                ["department/update"] = Sync(UpdateDepartment),
                ["department/delete"] = Sync(DeleteDepartment),
            };
        }

        private JsonObject CreateDepartment(Call c)
        {
            if (_departments.Count >= MaxDepartments)
            {
                throw new ApiError(81001, $"department node number exceed limit: a corp holds at most {MaxDepartments} departments");
            }

            var id = BodyLong(c.Body, "id");
            if (id is { } explicitId && (explicitId <= RootDepartmentId || explicitId > int.MaxValue))
            {
                throw new ApiError(60123, "invalid party id: an explicit id must be greater than 1 and fit in 32 bits");
            }

            if (id is { } taken && _departments.ContainsKey((int)taken))
            {
                throw new ApiError(60008, "department existed: the id is in use");
            }

            if (c.Body["parentid"] is null)
            {
                throw InvalidParameter("parentid");
            }

            var draft = new SandboxDepartment { Id = (int?)id ?? _departments.Keys.DefaultIfEmpty(0).Max() + 1 };
            _departments[draft.Id] = ReadDepartment(c.Body, draft);
            return new JsonObject { ["id"] = draft.Id };
        }

        private JsonObject UpdateDepartment(Call c)
        {
            var id = BodyInt(c.Body, "id") ?? throw InvalidParameter("id");
            var current = ExistingDepartment(id);
            if (id == RootDepartmentId && (BodyInt(c.Body, "parentid") ?? current.ParentId) != current.ParentId)
            {
                throw new ApiError(60007, "not allow to move the root department");
            }

            _departments[id] = ReadDepartment(c.Body, current);
            return new JsonObject();
        }

        private JsonObject DeleteDepartment(Call c)
        {
            var id = ExistingDepartment(QueryInt(c, "id")).Id;
            if (id == RootDepartmentId)
            {
                throw new ApiError(60007, "not allow to delete root department");
            }

            if (_departments.Values.Any(d => d.ParentId == id))
            {
                throw new ApiError(60006, "department has child department");
            }

            if (_users.Values.Any(u => u.Department.Contains(id)))
            {
                throw new ApiError(60005, "department has member");
            }

            _departments.Remove(id);
            foreach (var tag in _tags.Values)
            {
                tag.Departments.Remove(id);
            }

            return new JsonObject();
        }

        /// <summary>The department as <paramref name="body"/> would leave it (omitted fields unchanged), checked against every rule.</summary>
        private SandboxDepartment ReadDepartment(JsonObject body, SandboxDepartment current)
        {
            var draft = new SandboxDepartment
            {
                Id = current.Id,
                Name = BodyString(body, "name") ?? current.Name,
                NameEn = Replace(body, "name_en", current.NameEn),
                ParentId = BodyInt(body, "parentid") ?? current.ParentId,
                Order = BodyLong(body, "order") ?? current.Order,
                Leaders = current.Leaders,
            };
            CheckDepartmentName(draft.Name, "name");
            if (draft.NameEn != null)
            {
                CheckDepartmentName(draft.NameEn, "name_en");
            }

            if (draft.Order < 0 || draft.Order >= OrderLimit)
            {
                throw new ApiError(40058, "invalid Request Parameter, order must be in [0, 2^32)");
            }

            if (draft.Id == RootDepartmentId)
            {
                return draft;
            }

            if (!_departments.ContainsKey(draft.ParentId))
            {
                throw new ApiError(60004, "parent department not found");
            }

            if (Subtree(draft.Id).Any(d => d.Id == draft.ParentId))
            {
                throw new ApiError(60010, "department exist circulation: a department cannot move below itself");
            }

            if (_departments.Values.Any(d => d.ParentId == draft.ParentId && d.Id != draft.Id && d.Name == draft.Name))
            {
                throw new ApiError(60008, "department existed: the parent already has a department of that name");
            }

            var height = _departments.ContainsKey(draft.Id) ? Subtree(draft.Id).Max(d => Depth(d.Id)) - Depth(draft.Id) + 1 : 1;
            if (Depth(draft.ParentId) + height > MaxDepth)
            {
                throw new ApiError(81002, $"department level exceed limit: at most {MaxDepth} levels");
            }

            return draft;
        }

        private static void CheckDepartmentName(string name, string field)
        {
            if (name.Length == 0 || TextLength(name) > 64)
            {
                throw new ApiError(60001, $"department {field} length must be 1-64 characters");
            }

            if (name.IndexOfAny(IllegalDepartmentChars) >= 0)
            {
                throw new ApiError(60009, $"department {field} contains illegal characters \\:*?\"<>|");
            }
        }

        private SandboxDepartment ExistingDepartment(int id) =>
            _departments.TryGetValue(id, out var department) ? department : throw new ApiError(60003, "department not found");

        /// <summary>Levels from the root down to <paramref name="id"/>: 1 for the root, 0 for no department.</summary>
        private int Depth(int id)
        {
            var depth = 0;
            while (depth <= _departments.Count && _departments.TryGetValue(id, out var department))
            {
                depth++;
                id = department.ParentId;
            }

            return depth;
        }

        /// <summary>Characters as WeCom counts them: a surrogate pair is one.</summary>
        private static int TextLength(string text) => text.Length - text.Count(char.IsLowSurrogate);

        private static ApiError InvalidParameter(string name) => new ApiError(40058, $"invalid Request Parameter, {name}");

        /// <summary>A text field: absent keeps <paramref name="current"/>, "" clears it.</summary>
        private static string? Replace(JsonObject body, string name, string? current) =>
            BodyString(body, name) is { } value ? (value.Length == 0 ? null : value) : current;

        private static string? BodyString(JsonObject body, string name) => body[name] is { } node ? ToText(node, name) : null;

        private static long? BodyLong(JsonObject body, string name) => body[name] is { } node ? ToLong(node, name) : null;

        private static int? BodyInt(JsonObject body, string name) => body[name] is { } node ? ToInt(node, name) : null;

        private static List<T>? BodyList<T>(JsonObject body, string name, Func<JsonNode?, string, T> item) => body[name] switch
        {
            null => null,
            JsonArray array => array.Select(node => item(node, name)).ToList(),
            _ => throw InvalidParameter(name),
        };

        /// <summary>A string, or a number as written (WeCom takes "1" and 1 alike).</summary>
        private static string ToText(JsonNode? node, string name) =>
            node is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
                ? value.TryGetValue<string>(out var text) ? text : value.ToJsonString()
                : throw InvalidParameter(name);

        /// <summary>An integer, or a string holding one.</summary>
        private static long ToLong(JsonNode? node, string name) =>
            node is JsonValue value && (value.TryGetValue<long>(out var number) || (value.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number)))
                ? number
                : throw InvalidParameter(name);

        private static int ToInt(JsonNode? node, string name)
        {
            var number = ToLong(node, name);
            return number >= int.MinValue && number <= int.MaxValue ? (int)number : throw InvalidParameter(name);
        }
    }
}
