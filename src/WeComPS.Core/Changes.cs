using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WeComPS
{
    /// <summary>
    /// A member to create, or the fields of a member to change: a <c>null</c> field is left as it is. Checked
    /// against WeCom's limits with <see cref="Validate"/> before it is sent.
    /// </summary>
    internal sealed class WeComUserChange
    {
        public string UserId { get; set; } = "";
        /// <summary>Renames the userid (WeCom allows this once per member).</summary>
        public string? NewUserId { get; set; }
        public string? Name { get; set; }
        public string? Alias { get; set; }
        public string? Mobile { get; set; }
        public string? Email { get; set; }
        /// <summary>The corporate mailbox (企业邮箱).</summary>
        public string? BizMail { get; set; }
        public string? Telephone { get; set; }
        public string? Position { get; set; }
        public WeComGender? Gender { get; set; }
        /// <summary>Departments of the member, at most 100; replaces the current list.</summary>
        public int[]? Department { get; set; }
        /// <summary>Order within each department of <see cref="Department"/>; larger sorts first.</summary>
        public long[]? Order { get; set; }
        /// <summary>Whether the member leads each department of <see cref="Department"/>.</summary>
        public bool[]? IsLeaderInDept { get; set; }
        public int? MainDepartment { get; set; }
        public string[]? DirectLeader { get; set; }
        public string? Address { get; set; }
        public string? ExternalPosition { get; set; }
        /// <summary>Text extended attributes (扩展属性) by name; the names must exist in the admin console.</summary>
        public IDictionary<string, string>? ExtAttr { get; set; }
        /// <summary>The corp name external contacts see (对外信息: external_profile.external_corp_name).</summary>
        public string? ExternalCorpName { get; set; }
        /// <summary>Text external attributes (对外属性: external_profile.external_attr) by name; replaces the current ones.</summary>
        public IDictionary<string, string>? ExternalAttr { get; set; }
        /// <summary>Enables (true) or disables (false) the member.</summary>
        public bool? Enable { get; set; }
        /// <summary>On create: whether WeCom invites the new member (WeCom's default is yes).</summary>
        public bool? ToInvite { get; set; }

        /// <summary>Text fields to empty, by property name (see <see cref="ClearableFields"/>); a null field is left as it is.</summary>
        public IReadOnlyCollection<string>? Clear { get; set; }

        /// <summary>The text fields an update can empty, with their names in WeCom's request.</summary>
        public static readonly IReadOnlyDictionary<string, string> ClearableFields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [nameof(Alias)] = "alias",
            [nameof(Mobile)] = "mobile",
            [nameof(Email)] = "email",
            [nameof(BizMail)] = "biz_mail",
            [nameof(Telephone)] = "telephone",
            [nameof(Position)] = "position",
            [nameof(Address)] = "address",
            [nameof(ExternalPosition)] = "external_position",
        };

        public override string ToString() => Name is null ? UserId : $"{UserId} ({Name})";

        /// <summary>A copy whose fields can be set without changing this one.</summary>
        internal WeComUserChange Copy()
        {
            var copy = (WeComUserChange)MemberwiseClone();
            copy.ExtAttr = ExtAttr is null ? new Dictionary<string, string>() : new Dictionary<string, string>(ExtAttr);
            return copy;
        }

        /// <summary>The member and each field this change sends, as -WhatIf shows it: "LiSi: position = 技术专家, telephone cleared".</summary>
        public string Describe() =>
            this + ": " + string.Join(", ", ToBody().Where(f => f.Key != "userid").Select(f =>
                f.Value is string text && text.Length == 0 ? f.Key + " cleared"
                : f.Key + " = " + (f.Value is System.Collections.IEnumerable list && !(f.Value is string) ? string.Join(";", list.Cast<object>()) : f.Value)));

        /// <summary>Why WeCom would refuse this change, or null. <paramref name="creating"/> adds what a new member needs.</summary>
        public WeComException? Validate(bool creating)
        {
            var departments = Department?.Length ?? 0;
            var reason = Rules.First(
                Rules.UserId(UserId),
                NewUserId is null ? null : Rules.UserId(NewUserId),
                creating || Name != null ? Rules.Name(Name) : null,
                creating && string.IsNullOrEmpty(Mobile) && string.IsNullOrEmpty(Email) ? Rules.Fail("MobileAndEmailMissing", "MobileAndEmailMissing") : null,
                Rules.Mobile(Mobile),
                Rules.Email(Email),
                Rules.Email(BizMail, "InvalidBizMail"),
                departments > Rules.MaxDepartmentsPerUser ? Rules.Fail("TooManyDepartments", "TooManyDepartments", departments, Rules.MaxDepartmentsPerUser) : null,
                Rules.Each(Department, Rules.DepartmentId),
                Order != null && Order.Length != departments ? Rules.Fail("OrderCountMismatch", "OrderCountMismatch", Order.Length, departments) : null,
                Rules.Each(Order, Rules.Order),
                IsLeaderInDept != null && IsLeaderInDept.Length != departments ? Rules.Fail("LeaderFlagsMismatch", "LeaderFlagsMismatch", IsLeaderInDept.Length, departments) : null,
                MainDepartment is { } main && Department != null && !Department.Contains(main) ? Rules.Fail("InvalidMainDepartment", "InvalidMainDepartment", main) : null,
                DirectLeader?.Length > 1 ? Rules.Fail("TooManyDirectLeaders", "TooManyDirectLeaders", DirectLeader.Length) : null,
                Rules.Each(DirectLeader, Rules.UserId),
                Rules.Each(Clear, f => !ClearableFields.ContainsKey(f) ? Rules.Fail("InvalidClear", "InvalidClear", f, string.Join(", ", ClearableFields.Keys))
                    : ToBody(withClear: false).ContainsKey(ClearableFields[f]) ? Rules.Fail("InvalidClear", "ClearedAndGiven", f) : null));
            return reason?.About("UserItem", UserId);
        }

        /// <summary>An update that sets no field is refused rather than sent.</summary>
        internal WeComException? CheckChangesSomething() =>
            ToBody().Count > 1 ? null : Rules.Fail("NothingToChange", "NothingToChange").About("UserItem", UserId);

        /// <summary>The body of user/create or user/update: only the fields that are set.</summary>
        internal Dictionary<string, object> ToBody() => ToBody(withClear: true);

        private Dictionary<string, object> ToBody(bool withClear)
        {
            var body = new Dictionary<string, object> { ["userid"] = UserId };
            body.Put("new_userid", NewUserId);
            body.Put("name", Name);
            body.Put("alias", Alias);
            body.Put("mobile", Mobile);
            body.Put("email", Email);
            body.Put("biz_mail", BizMail);
            body.Put("telephone", Telephone);
            body.Put("position", Position);
            body.Put("gender", Gender is { } gender ? ((int)gender).ToString(CultureInfo.InvariantCulture) : null);
            body.Put("department", Department);
            body.Put("order", Order);
            body.Put("is_leader_in_dept", IsLeaderInDept?.Select(l => l ? 1 : 0).ToArray());
            body.Put("main_department", MainDepartment);
            body.Put("direct_leader", DirectLeader);
            body.Put("address", Address);
            body.Put("external_position", ExternalPosition);
            body.Put("enable", Enable is { } enable ? (enable ? 1 : 0) : (int?)null);
            body.Put("to_invite", ToInvite);
            if (ExtAttr != null)
            {
                body["extattr"] = new Dictionary<string, object> { ["attrs"] = TextAttributes(ExtAttr) };
            }

            if (ExternalCorpName != null || ExternalAttr != null)
            {
                var profile = new Dictionary<string, object>();
                profile.Put("external_corp_name", ExternalCorpName);
                if (ExternalAttr != null)
                {
                    profile["external_attr"] = TextAttributes(ExternalAttr);
                }

                body["external_profile"] = profile;
            }

            foreach (var field in withClear ? Clear ?? new string[0] : new string[0])
            {
                if (ClearableFields.TryGetValue(field, out var key))
                {
                    body[key] = "";
                }
            }

            return body;
        }

        /// <summary>Attributes of type 0 (text) as WeCom takes them: [{type, name, text{value}}].</summary>
        private static object[] TextAttributes(IDictionary<string, string> attributes) =>
            attributes.Select(a => (object)new Dictionary<string, object>
            {
                ["type"] = 0,
                ["name"] = a.Key,
                ["text"] = new Dictionary<string, object> { ["value"] = a.Value ?? "" },
            }).ToArray();

        /// <summary>The member as created from this change (WeCom answers a create with no record).</summary>
        internal WeComUser ToCreatedUser() => new WeComUser
        {
            UserId = UserId,
            Name = Name,
            Alias = Alias,
            Mobile = Mobile,
            Email = Email,
            BizMail = BizMail,
            Telephone = Telephone,
            Position = Position,
            Gender = Gender,
            Department = Department ?? new[] { 1 },
            Order = Order,
            IsLeaderInDept = IsLeaderInDept,
            MainDepartment = MainDepartment ?? Department?.FirstOrDefault() ?? 1,
            DirectLeader = DirectLeader,
            Address = Address,
            ExternalPosition = ExternalPosition,
            ExtAttr = ExtAttr is null ? null : new WeComAttributes(ExtAttr.Select(a => new KeyValuePair<string, string?>(a.Key, a.Value))),
            ExternalProfile = ExternalCorpName is null && ExternalAttr is null ? null : new WeComExternalProfile
            {
                CorpName = ExternalCorpName,
                Attributes = ExternalAttr?.ToDictionary(a => a.Key, a => (string?)a.Value),
            },
            Status = Enable == false ? WeComUserStatus.Disabled : WeComUserStatus.NotActivated,
        };
    }

    /// <summary>A department to create, or the fields of a department to change: a <c>null</c> field is left as it is.</summary>
    internal sealed class WeComDepartmentChange
    {
        /// <summary>The department to change; on create, an id to use instead of WeCom's next one.</summary>
        public int? Id { get; set; }
        public string? Name { get; set; }
        public string? NameEn { get; set; }
        /// <summary>The parent department; moving a department changes it.</summary>
        public int? ParentId { get; set; }
        /// <summary>Order among siblings; larger sorts first.</summary>
        public long? Order { get; set; }
        /// <summary>Empties the English name.</summary>
        public bool ClearNameEn { get; set; }

        public override string ToString() =>
            Id is { } id ? id.ToString(CultureInfo.InvariantCulture) + (Name is null ? "" : $" ({Name})") : Name ?? "";

        /// <summary>Why WeCom would refuse this change, or null. <paramref name="creating"/> needs a name and a parent.</summary>
        public WeComException? Validate(bool creating)
        {
            var reason = Rules.First(
                creating ? null : Id is null ? Rules.Fail("DepartmentIdMissing", "DepartmentIdMissing") : null,
                creating && Id is { } wanted && wanted <= 1 ? Rules.Fail("InvalidDepartmentId", "NewDepartmentId", wanted) : null,
                creating || Name != null ? Rules.DepartmentName(Name) : null,
                NameEn is null ? null : Rules.DepartmentName(NameEn),
                creating && ParentId is null ? Rules.Fail("ParentDepartmentMissing", "ParentMissing") : null,
                ParentId is { } parent ? Rules.DepartmentId(parent) : null,
                ParentId != null && ParentId == Id ? Rules.Fail("DepartmentCycle", "OwnParent") : null,
                Order is { } order ? Rules.Order(order) : null,
                ClearNameEn && NameEn != null ? Rules.Fail("InvalidClear", "ClearedAndGiven", "NameEn") : null);
            return reason?.About("DepartmentItem", this);
        }

        /// <summary>An update that sets no field is refused rather than sent.</summary>
        internal WeComException? CheckChangesSomething() =>
            ToBody().Count > 1 ? null : Rules.Fail("NothingToChange", "DepartmentNothingToChange").About("DepartmentItem", this);

        internal Dictionary<string, object> ToBody()
        {
            var body = new Dictionary<string, object>();
            body.Put("id", Id);
            body.Put("name", Name);
            body.Put("name_en", ClearNameEn ? "" : NameEn);
            body.Put("parentid", ParentId);
            body.Put("order", Order);
            return body;
        }
    }

    /// <summary>A tag to create (its id optional) or to rename.</summary>
    internal sealed class WeComTagChange
    {
        /// <summary>The tag to rename; on create, an id to use instead of WeCom's next one.</summary>
        public int? TagId { get; set; }
        public string TagName { get; set; } = "";

        public override string ToString() => TagId is { } id ? $"{id} ({TagName})" : TagName;

        /// <summary>Why WeCom would refuse this tag, or null. A rename needs the id.</summary>
        public WeComException? Validate(bool creating)
        {
            var reason = Rules.First(
                !creating && TagId is null ? Rules.Fail("TagIdMissing", "TagIdMissing") : null,
                TagId is { } id ? Rules.TagId(id) : null,
                Rules.TagName(TagName));
            return reason?.About("TagItem", this);
        }
    }

    internal static class RequestBody
    {
        /// <summary>Sets <paramref name="key"/> when <paramref name="value"/> is given: WeCom leaves omitted fields unchanged.</summary>
        public static void Put(this Dictionary<string, object> body, string key, object? value)
        {
            if (value != null)
            {
                body[key] = value;
            }
        }
    }
}
