using System;
using System.Collections.ObjectModel;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WeComPS
{
    /// <summary>A department of the WeCom organisation, with its place in the tree.</summary>
    public sealed class WeComDepartment
    {
        public int Id { get; set; }

        /// <summary>The same as <see cref="Id"/>: departments bind to -DepartmentId by it, where a bare Id column of a CSV row must not.</summary>
        public int DepartmentId => Id;
        public string? Name { get; set; }
        public string? NameEn { get; set; }
        /// <summary>The parent department id; 0 for the root.</summary>
        public int ParentId { get; set; }
        /// <summary>Sort order among siblings; larger sorts first.</summary>
        public long Order { get; set; }
        /// <summary>User ids of the department's leaders; <c>null</c> when WeCom does not return them.</summary>
        public WeComList<string>? Leaders { get; set; }
        /// <summary>Full path from the top visible department, e.g. <c>/广州研发中心/邮箱产品部</c>.</summary>
        public string? Path { get; set; }
        /// <summary>Depth below the top visible department (the top is 0).</summary>
        public int Depth { get; set; }
        /// <summary>
        /// True when a create did not create it but found it in WeCom as asked: the create's answer was lost, so that
        /// attempt created it or it was there before. The object then is what WeCom holds.
        /// </summary>
        public bool FoundInPlace { get; set; }

        public override string ToString() => Path ?? Name ?? Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Member gender as WeCom reports it.</summary>
    public enum WeComGender
    {
        Undefined = 0,
        Male = 1,
        Female = 2,
    }

    /// <summary>Member activation status.</summary>
    public enum WeComUserStatus
    {
        Unknown = 0,
        Active = 1,
        Disabled = 2,
        NotActivated = 4,
        Left = 5,
    }

    /// <summary>
    /// A member of the organisation. Fields WeCom withholds from the caller (for example gender, mobile
    /// and email for apps created after 2022-06-20) are <c>null</c>, never an empty string or zero.
    /// </summary>
    public sealed class WeComUser
    {
        public string UserId { get; set; } = "";
        public string? Name { get; set; }
        public string? Alias { get; set; }
        public string? EnglishName { get; set; }
        public string? Position { get; set; }
        /// <summary>Ids of the departments the member belongs to.</summary>
        public WeComList<int>? Department { get; set; }
        /// <summary>Order within each department of <see cref="Department"/>.</summary>
        public WeComList<long>? Order { get; set; }
        public int? MainDepartment { get; set; }
        /// <summary>Whether the member leads each department of <see cref="Department"/>.</summary>
        public WeComList<bool>? IsLeaderInDept { get; set; }
        public WeComList<string>? DirectLeader { get; set; }
        public string? Mobile { get; set; }
        public string? Email { get; set; }
        public string? BizMail { get; set; }
        public string? Telephone { get; set; }
        public WeComGender? Gender { get; set; }
        public WeComUserStatus? Status { get; set; }
        public string? Avatar { get; set; }
        public string? ThumbAvatar { get; set; }
        public string? QrCode { get; set; }
        public string? Address { get; set; }
        public string? OpenUserId { get; set; }
        public string? ExternalPosition { get; set; }
        /// <summary>Extended attributes (扩展属性) by name; text values, or the URL of web attributes.</summary>
        public WeComAttributes? ExtAttr { get; set; }
        /// <summary>What external contacts see (对外信息); <c>null</c> when WeCom sends none.</summary>
        public WeComExternalProfile? ExternalProfile { get; set; }

        /// <summary>
        /// True when a create did not create it but found it in WeCom as asked: the create's answer was lost, so that
        /// attempt created it or it was there before. The object then is what WeCom holds.
        /// </summary>
        public bool FoundInPlace { get; set; }

        public override string ToString() => UserId;
    }

    /// <summary>A member's external profile (对外信息, external_profile): corp name, WeChat channel and external attributes.</summary>
    public sealed class WeComExternalProfile
    {
        /// <summary>The corp name shown to external contacts (企业对外简称, external_corp_name).</summary>
        public string? CorpName { get; set; }
        /// <summary>The WeChat channel (视频号) shown, by its name (wechat_channels.nickname).</summary>
        public string? WeChatChannelsNickname { get; set; }
        /// <summary>Whether the channel is shown: 1 verified, 0 not (wechat_channels.status; set by WeCom).</summary>
        public int? WeChatChannelsStatus { get; set; }
        /// <summary>External attributes (对外属性, external_attr) by name: text values, web URLs, mini program page paths.</summary>
        public IReadOnlyDictionary<string, string?>? Attributes { get; set; }

        public override string ToString() => CorpName ?? "";
    }

    /// <summary>A tag (标签).</summary>
    public sealed class WeComTag
    {
        public int TagId { get; set; }
        public string TagName { get; set; } = "";
        /// <summary>
        /// True when a create did not create it but found it in WeCom as asked: the create's answer was lost, so that
        /// attempt created it or it was there before. The object then is what WeCom holds.
        /// </summary>
        public bool FoundInPlace { get; set; }

        public override string ToString() => TagName;
    }

    /// <summary>What a tag member is.</summary>
    public enum WeComTagMemberType
    {
        User,
        Department,
    }

    /// <summary>
    /// A user or a department that carries a tag: a <see cref="WeComTagUser"/> or a <see cref="WeComTagDepartment"/>.
    /// Both have the same properties, so Export-Csv keeps every column and JSON has one shape: a user's DepartmentId
    /// and a department's UserId are null.
    /// </summary>
    public abstract class WeComTagMember
    {
        public int TagId { get; set; }
        public string? TagName { get; set; }
        public abstract WeComTagMemberType MemberType { get; }
        /// <summary>The tagged user's userid; null for a department. Binds to -UserId of the user cmdlets.</summary>
        public string? UserId { get; set; }
        /// <summary>The tagged department's id; null for a user. Binds to -DepartmentId.</summary>
        public int? DepartmentId { get; set; }
        /// <summary>The user's or the department's name, where WeCom or the department tree gives it.</summary>
        public string? Name { get; set; }
        /// <summary>A tagged user's departments, from Export-WeComTagUser; null otherwise.</summary>
        public WeComList<int>? Department { get; set; }
    }

    /// <summary>A user that carries a tag.</summary>
    public sealed class WeComTagUser : WeComTagMember
    {
        public override WeComTagMemberType MemberType => WeComTagMemberType.User;

        public override string ToString() => UserId ?? "";
    }

    /// <summary>A department that carries a tag (so do its members).</summary>
    public sealed class WeComTagDepartment : WeComTagMember
    {
        public override WeComTagMemberType MemberType => WeComTagMemberType.Department;

        public override string ToString() => DepartmentId?.ToString(CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>Which mailbox an email look-up searches.</summary>
    public enum WeComEmailType
    {
        /// <summary>The corporate mailbox (企业邮箱, biz_mail).</summary>
        Corporate = 1,
        /// <summary>The member's personal email.</summary>
        Personal = 2,
    }

    /// <summary>A look-up of a member's userid by mobile number or email, and its answer.</summary>
    public sealed class WeComUserLookup
    {
        public string? Mobile { get; set; }
        public string? Email { get; set; }
        /// <summary>The mailbox searched, or where the email was found; null searches the corporate mailbox, then the personal email.</summary>
        public WeComEmailType? EmailType { get; set; }
        /// <summary>The userid found; binds to -UserId of the user cmdlets.</summary>
        public string? UserId { get; set; }

        /// <summary>What is looked up: the mobile number, else the email.</summary>
        public string Key => Mobile ?? Email ?? "";

        public override string ToString() => UserId ?? Key;

        internal WeComException? Validate()
        {
            var reason = Mobile is null && Email is null ? Rules.Fail("LookupKeyMissing", "LookupKeyMissing") : Mobile != null ? Rules.Mobile(Mobile) : Rules.Email(Email);
            return reason?.About("LookupItem", Key);
        }
    }

    /// <summary>A member's userid and the openid WeCom converts it to.</summary>
    public sealed class WeComOpenId
    {
        public string UserId { get; set; } = "";
        public string OpenId { get; set; } = "";

        public override string ToString() => OpenId;
    }

    /// <summary>
    /// A list in an output object: enumerates, counts and indexes like an array, and as text reads "2;5", the form
    /// the cmdlets take in a CSV cell, so <c>Export-Csv</c> writes a usable cell and its CSV pipes back in.
    /// </summary>
    public sealed class WeComList<T> : ReadOnlyCollection<T>
    {
        public WeComList(IEnumerable<T> items)
            : base(items is T[] array ? (T[])array.Clone() : items.ToArray())
        {
        }

        public override string ToString() => string.Join(";", this.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)));

        public static implicit operator WeComList<T>?(T[]? items) => items is null ? null : new WeComList<T>(items);
    }

    /// <summary>A member's extended attributes by name; as text "工号=E1001;座位=3F", so Export-Csv writes them readably.</summary>
    public sealed class WeComAttributes : ReadOnlyDictionary<string, string?>
    {
        public WeComAttributes(IEnumerable<KeyValuePair<string, string?>> values)
            : base(LastByName(values))
        {
        }

        /// <summary>Each name once, with its last value, in the order the names first came.</summary>
        private static Dictionary<string, string?> LastByName(IEnumerable<KeyValuePair<string, string?>> values)
        {
            var byName = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var value in values)
            {
                byName[value.Key] = value.Value;
            }

            return byName;
        }

        public override string ToString() => string.Join(";", this.Select(v => v.Key + "=" + v.Value));
    }
}
