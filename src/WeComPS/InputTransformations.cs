using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace WeComPS.Commands
{
    /// <summary>
    /// Lets a value come from a CSV cell: a blank cell means "not given" (null) rather than an empty value or a
    /// conversion error, so Import-Csv rows with empty columns bind cleanly. With <see cref="As"/>, text is converted
    /// here and a cell that does not convert is an error naming it: PowerShell would otherwise drop a piped value it
    /// cannot convert without a word, and the change would go out without it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public class BlankAsNullAttribute : ArgumentTransformationAttribute
    {
        /// <summary>The type a non-blank cell must convert to (an item's type, for lists).</summary>
        public Type? As { get; set; }

        /// <summary>
        /// The parameter's name, for a member field: a value that does not convert is then kept in
        /// <see cref="CellErrors"/> for the command to report with the userid of the row it came from.
        /// </summary>
        public string? Field { get; set; }

        /// <summary>WeCom's own words for enum values, as its import template writes them.</summary>
        private static readonly Dictionary<string, object> Words = new Dictionary<string, object>
        {
            ["男"] = WeComGender.Male,
            ["女"] = WeComGender.Female,
        };

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            // Only spaces are trimmed: a line break or tab in a value is refused by the input rules, not silently cut.
            try
            {
                return value is string text ? (string.IsNullOrWhiteSpace(text) ? null : TransformText(text.Trim(' ', '\u3000'))) : inputData;
            }
            catch (ArgumentTransformationMetadataException ex) when (Field != null)
            {
                CellErrors.Add($"{Field}: {ex.Message}");
                return null;
            }
        }

        protected virtual object TransformText(string text) => Convert(text);

        /// <summary>The text as <see cref="As"/>, or an error naming the text and the type it is not.</summary>
        protected object Convert(string text) =>
            As is null ? text
            : As.IsEnum && Words.TryGetValue(text, out var word) && word.GetType() == As ? word
            : LanguagePrimitives.TryConvertTo(text, As, System.Globalization.CultureInfo.InvariantCulture, out var converted) && converted != null ? converted
            : throw new ArgumentTransformationMetadataException(As.IsEnum
                ? Msg.Get("NotOneOf", text, string.Join(", ", Enum.GetNames(As).Concat(Words.Where(w => w.Value.GetType() == As).Select(w => w.Key))))
                : Msg.Get("NotAValid", text, As.Name));
    }

    /// <summary>
    /// A list from one CSV cell: "2;5", "2,5" and "2|5" become two items; a blank cell means "not given". With
    /// <see cref="Flags"/>, items read as true/false from 1/0, true/false or yes/no.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SplitListAttribute : BlankAsNullAttribute
    {
        private static readonly char[] Separators = { ';', ',', '|' };

        public bool Flags { get; set; }

        protected override object TransformText(string text)
        {
            var items = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Select(i => i.Trim()).ToArray();
            return Flags ? items.Select(ParseFlag).ToArray() : items.Select(Convert).ToArray();
        }

        /// <summary>A yes/no item: 1/0, true/false, yes/no, y/n, and WeCom's 是/否.</summary>
        internal static object ParseFlag(string item) => item.ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "y" or "是" => true,
            "0" or "false" or "no" or "n" or "否" => false,
            _ => throw new ArgumentTransformationMetadataException(Msg.Get("NotYesNo", item)),
        };
    }

    /// <summary>
    /// Takes userids: text, or the UserId of an object (a member, a tag member, a CSV row). An object without one,
    /// such as a tagged department from Get-WeComTagMember (its UserId is null), is refused rather than bound by its ToString.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class UserIdArgumentAttribute : ArgumentTransformationAttribute
    {
        /// <summary>An object with a DepartmentId (and no UserId) is left as it is, for a -DepartmentId of another parameter set to take.</summary>
        public bool LeavesDepartments { get; set; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = PipedInput.Unwrap(inputData);
            return value is string || !(value is System.Collections.IEnumerable list) ? UserIdOf(inputData) : list.Cast<object?>().Select(UserIdOf).ToArray();
        }

        private object? UserIdOf(object? item) => PipedInput.Unwrap(item) switch
        {
            null => null,
            string text => text,
            var number when number.GetType().IsPrimitive => number,
            _ => PipedInput.Property(item, "UserId")
                ?? (LeavesDepartments && PipedInput.Property(item, "DepartmentId") != null ? item
                : throw new ArgumentTransformationMetadataException(Msg.Get("HasNoUserId", PipedInput.Unwrap(item)!.GetType().Name, item))),
        };
    }

    /// <summary>
    /// Takes departments or tags: ids (numbers, or text of one), names and full paths as text (for
    /// <see cref="NameResolver"/> to look up), or the id of an object that carries one (<see cref="Property"/>: a
    /// department from Get-WeComDepartment, a tagged department or a row with a DepartmentId column; a tag or a tag
    /// member). Any other object, such as a tagged user piped as a department or a process whose Id is no department,
    /// is refused rather than read by its ToString.
    /// </summary>
    public abstract class IdOrNameArgumentAttribute : ArgumentTransformationAttribute
    {
        /// <summary>The property that carries the id on a piped object.</summary>
        protected abstract string Property { get; }

        /// <summary>What the id is of, for the error: "department".</summary>
        protected abstract string Noun { get; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = PipedInput.Unwrap(inputData);
            return value is string || !(value is System.Collections.IEnumerable list) ? IdOf(inputData) : list.Cast<object?>().Select(IdOf).ToArray();
        }

        private object? IdOf(object? item) => PipedInput.Unwrap(item) switch
        {
            null => null,
            string text => text.Trim(),
            var number when number.GetType().IsPrimitive => System.Convert.ToString(number, System.Globalization.CultureInfo.InvariantCulture),
            _ => PipedInput.Property(item, Property) is { } id ? IdOf(id)
                : throw new ArgumentTransformationMetadataException(Msg.Get("HasNoIdOf", PipedInput.Unwrap(item)!.GetType().Name, item, Noun, Property)),
        };
    }

    /// <summary>Takes departments by id, unique name or full path, or objects with a DepartmentId (see <see cref="IdOrNameArgumentAttribute"/>).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DepartmentIdArgumentAttribute : IdOrNameArgumentAttribute
    {
        protected override string Property => "DepartmentId";

        protected override string Noun => Msg.Get("DepartmentNoun");
    }

    /// <summary>Takes tags by id or name, or objects with a TagId (see <see cref="IdOrNameArgumentAttribute"/>).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class TagIdArgumentAttribute : IdOrNameArgumentAttribute
    {
        protected override string Property => "TagId";

        protected override string Noun => Msg.Get("TagNoun");
    }

    /// <summary>What a piped object is to a Set- command: a record from WeCom, a row of fields, or neither.</summary>
    internal static class PipedInput
    {
        public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        /// <summary>The value of an object's property, or null when it has none or it is null or blank (a CSV cell).</summary>
        public static object? Property(object? item, string name) =>
            item is null ? null : PSObject.AsPSObject(item).Properties[name]?.Value is { } value && !(Unwrap(value) is string text && string.IsNullOrWhiteSpace(text)) ? value : null;

        /// <summary>True for the module's own records: piped to Set-, they name what to change, and their fields are not sent back.</summary>
        public static bool IsRecord(object? input) => (input is PSObject wrapped ? wrapped.BaseObject : input)?.GetType().Namespace == typeof(WeComUser).Namespace;

        /// <summary>True for rows (Import-Csv, [pscustomobject], a database's DataRow): their fields bind by name.</summary>
        public static bool IsRow(object? input)
        {
            var value = input is PSObject wrapped ? wrapped.BaseObject : input;
            if (value is PSCustomObject)
            {
                return true;
            }

            for (var type = value?.GetType(); type != null; type = type.BaseType)
            {
                if (type.FullName == "System.Data.DataRow")
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A yes/no value from one CSV cell: 1 or 0, true or false, yes or no; a blank cell means "not given".</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class YesNoAttribute : BlankAsNullAttribute
    {
        protected override object TransformText(string text) => SplitListAttribute.ParseFlag(text);
    }
}

namespace WeComPS.Commands
{
    /// <summary>
    /// Member fields whose value did not convert while PowerShell bound it, kept on the pipeline thread until the
    /// command reports them with the row's userid (a transformation cannot see the row it is binding).
    /// </summary>
    internal static class CellErrors
    {
        [ThreadStatic]
        private static List<string>? _pending;

        public static void Add(string message) => (_pending ??= new List<string>()).Add(message);

        /// <summary>The failures since the last call, or null.</summary>
        public static List<string>? Take()
        {
            var pending = _pending;
            _pending = null;
            return pending;
        }
    }
}
