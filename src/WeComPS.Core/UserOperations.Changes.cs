using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    // Changes to members: create, update, enable/disable, delete in batches, look-ups and invitations.
    internal sealed partial class UserOperations
    {
        /// <summary>user/batchdelete takes at most this many userids per call.</summary>
        public const int BatchDeleteLimit = 200;

        /// <summary>Refusals of a batch delete that one id can cause (unknown, invalid, out of scope): the group is split to find it.</summary>
        private static readonly HashSet<int> SplitsOn = new HashSet<int> { 60111, 46004, 40003, 40031, 60011 };

        /// <summary>
        /// Creates members (user/create), several at once. Every change is checked before any request; each created
        /// member comes back as sent, since WeCom answers a create with no record, except one found in place as asked
        /// after a lost answer, which comes back as WeCom holds it, with <see cref="WeComUser.FoundInPlace"/> set.
        /// </summary>
        public IAsyncEnumerable<ItemResult<WeComUser>> CreateAsync(
            IEnumerable<WeComUserChange> users, IProgress<WeComProgress>? progress = null, int? maxConcurrency = null, CancellationToken cancellationToken = default) =>
            Concurrent.EachAsync(
                users,
                u => u.Validate(creating: true),
                async (u, ct) =>
                {
                    var answer = await SendAsync("user/create", u, ct).ConfigureAwait(false);
                    return ExactlyOnce.Confirmed(answer) is { } held ? Found(Parse(held)) : u.ToCreatedUser();
                },
                Describe,
                "user/create",
                maxConcurrency ?? _connection.MaxConcurrency,
                _connection.Client.Retry.StopGrace,
                progress,
                "Creating members",
                cancellationToken);

        /// <summary>Changes members (user/update): only the fields set in each change. Yields each member's userid as it is now.</summary>
        public IAsyncEnumerable<ItemResult<string>> UpdateAsync(
            IEnumerable<WeComUserChange> changes, IProgress<WeComProgress>? progress = null, int? maxConcurrency = null, CancellationToken cancellationToken = default)
        {
            // Changes run concurrently, so two for one member would race: the second is refused instead.
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var mobileWarned = 0;
            return Concurrent.EachAsync(
                changes,
                u => u.Validate(creating: false) ?? u.CheckChangesSomething()
                    ?? (seen.Add(u.UserId) ? null : WeComException.InvalidInput("DuplicateChange", Msg.Get("DuplicateChange", u.UserId))),
                async (u, ct) =>
                {
                    if (u.Mobile != null && Interlocked.Exchange(ref mobileWarned, 1) == 0)
                    {
                        // WeCom answers "updated" all the same, so the change cannot show whether the mobile was taken.
                        WeComLog.Warning(Msg.Get("MobileIgnoredWhenActive"));
                    }

                    await SendAsync("user/update", u, ct).ConfigureAwait(false);
                    return u.NewUserId ?? u.UserId;
                },
                Describe,
                "user/update",
                maxConcurrency ?? _connection.MaxConcurrency,
                _connection.Client.Retry.StopGrace,
                progress,
                "Updating members",
                cancellationToken);
        }

        /// <summary>Enables or disables members (user/update with <c>enable</c>), each once.</summary>
        public IAsyncEnumerable<ItemResult<string>> SetEnabledAsync(
            IEnumerable<string> userIds, bool enabled, IProgress<WeComProgress>? progress = null, int? maxConcurrency = null, CancellationToken cancellationToken = default) =>
            UpdateAsync(
                userIds.Distinct(StringComparer.OrdinalIgnoreCase).Select(id => new WeComUserChange { UserId = id, Enable = enabled }),
                progress,
                maxConcurrency,
                cancellationToken);

        /// <summary>
        /// Deletes members with user/batchdelete, up to <see cref="BatchDeleteLimit"/> per call, each id once. WeCom
        /// rejects a whole call for one bad id without naming it: a rejected group is split until every bad id stands
        /// alone, so each is reported and all the others are still deleted. More than <paramref name="limit"/> deletions
        /// end the command before anything is sent.
        /// </summary>
        public async IAsyncEnumerable<ItemResult<string>> DeleteAsync(
            IEnumerable<string> userIds, IProgress<WeComProgress>? progress = null, [EnumeratorCancellation] CancellationToken cancellationToken = default, DeleteLimit? limit = null)
        {
            var (valid, invalid) = CheckUserIds<string>(userIds);
            foreach (var failure in invalid)
            {
                yield return failure;
            }

            if (valid.Count == 0)
            {
                yield break;
            }

            // Read just before: an unknown id is reported without a request, and a delete whose answer is lost counts
            // as done only because its members were there before.
            var existing = await ExactlyOnce.ExistingUserIdsAsync(_connection.Client, cancellationToken).ConfigureAwait(false);
            foreach (var id in valid.Where(id => !existing.Contains(id)))
            {
                yield return ItemResult<string>.Failed(WeComException.NotFound("UserNotFound", Msg.Get("UserNotFoundNothingSent", id), "user/batchdelete", WeComErrorCatalog.Describe(60111).Advice!), id);
            }

            valid = valid.Where(existing.Contains).ToList();
            if (limit?.Check(valid.Count, existing.Count, "member") is { } tooMany)
            {
                throw tooMany;
            }

            var done = 0;
            var policy = new FailurePolicy();
            foreach (var group in Batches.Chunk(valid, BatchDeleteLimit))
            {
                await foreach (var result in DeleteGroupAsync(group, policy, cancellationToken).ConfigureAwait(false))
                {
                    yield return result;
                }

                done += group.Count;
                progress?.Report(new WeComProgress(Msg.Get("RemovingMembers"), done, valid.Count));
            }
        }

        private async IAsyncEnumerable<ItemResult<string>> DeleteGroupAsync(List<string> group, FailurePolicy policy, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            WeComException? failure = null;
            try
            {
                await _connection.Client.PostAsync("user/batchdelete", new Dictionary<string, object> { ["useridlist"] = group }, cancellationToken, existed: true).ConfigureAwait(false);
                policy.Succeeded();
            }
            catch (WeComException ex)
            {
                if (policy.Ends(ex))
                {
                    throw Concurrent.Stopped(ex, $"members from '{group[0]}' on not deleted");
                }

                failure = ex;
            }

            if (failure is null || group.Count == 1 || !SplitsOn.Contains(failure.ErrCode ?? 0))
            {
                foreach (var id in group)
                {
                    yield return failure is null ? ItemResult<string>.Ok(id) : ItemResult<string>.Failed(failure.About(Msg.Get("UserLabel", id)), id);
                }

                yield break;
            }

            var half = group.Count / 2;
            foreach (var part in new[] { group.GetRange(0, half), group.GetRange(half, group.Count - half) })
            {
                await foreach (var result in DeleteGroupAsync(part, policy, cancellationToken).ConfigureAwait(false))
                {
                    yield return result;
                }
            }
        }

        /// <summary>
        /// Finds the userid of each look-up by mobile (user/getuserid) or, without a mobile, by email
        /// (user/get_userid_by_email). WeCom blocks the mobile look-up for a day when too many miss.
        /// </summary>
        public IAsyncEnumerable<ItemResult<WeComUserLookup>> FindUserIdAsync(
            IEnumerable<WeComUserLookup> lookups, int? maxConcurrency = null, CancellationToken cancellationToken = default) =>
            Concurrent.EachAsync(
                lookups,
                l => l.Validate(),
                async (l, ct) =>
                {
                    if (l.Mobile != null)
                    {
                        var answer = await _connection.Client.PostAsync("user/getuserid", new Dictionary<string, object> { ["mobile"] = l.Mobile }, ct).ConfigureAwait(false);
                        return new WeComUserLookup { Mobile = l.Mobile, UserId = answer.Str("userid") };
                    }

                    return await FindByEmailAsync(l, ct).ConfigureAwait(false);
                },
                l => (l.Key, $"Look-up of '{l.Key}'"),
                "user/getuserid",
                maxConcurrency ?? _connection.MaxConcurrency,
                null,
                null,
                "Looking up userids",
                cancellationToken);

        /// <summary>
        /// The userid of an email: in the mailbox the look-up names, or without one in the corporate mailbox and then
        /// in the personal email. A miss says where it looked and how to look elsewhere.
        /// </summary>
        private async Task<WeComUserLookup> FindByEmailAsync(WeComUserLookup lookup, CancellationToken cancellationToken)
        {
            var types = lookup.EmailType is { } only ? new[] { only } : new[] { WeComEmailType.Corporate, WeComEmailType.Personal };
            foreach (var type in types)
            {
                try
                {
                    var body = new Dictionary<string, object> { ["email"] = lookup.Email!, ["email_type"] = (int)type };
                    var answer = await _connection.Client.PostAsync("user/get_userid_by_email", body, cancellationToken).ConfigureAwait(false);
                    return new WeComUserLookup { Email = lookup.Email, EmailType = type, UserId = answer.Str("userid") };
                }
                catch (WeComException ex) when (ex.Kind == WeComErrorKind.NotFound || ex.ErrCode == 46004 || ex.ErrCode == 60111)
                {
                    if (type != types[types.Length - 1])
                    {
                        continue;
                    }

                    throw WeComException.NotFound(
                        "UserNotFound",
                        Msg.Get(lookup.EmailType is null ? "NoMemberWithEmail" : type == WeComEmailType.Corporate ? "NoMemberWithCorporateMail" : "NoMemberWithPersonalEmail", lookup.Email),
                        "user/get_userid_by_email",
                        Msg.Get(lookup.EmailType is null ? "CheckEmailAddress" : type == WeComEmailType.Corporate ? "TryPersonalEmail" : "TryCorporateMail"));
                }
            }

            throw new InvalidOperationException("No mailbox to search.");
        }

        /// <summary>The openid of each member (user/convert_to_openid), e.g. for WeChat Pay; 43004 for members who never bound WeChat.</summary>
        public IAsyncEnumerable<ItemResult<WeComOpenId>> ConvertToOpenIdAsync(
            IEnumerable<string> userIds, int? maxConcurrency = null, CancellationToken cancellationToken = default) =>
            Concurrent.EachAsync(
                userIds.Distinct(StringComparer.OrdinalIgnoreCase),
                CheckUserId,
                async (id, ct) =>
                {
                    var answer = await _connection.Client.PostAsync("user/convert_to_openid", new Dictionary<string, object> { ["userid"] = id }, ct).ConfigureAwait(false);
                    return new WeComOpenId { UserId = id, OpenId = answer.Str("openid") ?? "" };
                },
                id => (id, $"User '{id}'"),
                "user/convert_to_openid",
                maxConcurrency ?? _connection.MaxConcurrency,
                null,
                null,
                "Converting userids",
                cancellationToken);

        /// <summary>
        /// Invites members to join (batch/invite): users directly, or everyone in departments or carrying tags, in as
        /// few calls as the limits allow (1,000 users, 100 departments, 100 tags per call). Yields each target; the
        /// ones WeCom names as invalid come as failures.
        /// </summary>
        public async IAsyncEnumerable<ItemResult<object>> InviteAsync(
            IEnumerable<string> userIds, IEnumerable<int> departmentIds, IEnumerable<int> tagIds, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var (users, invalid) = CheckUserIds<object>(userIds);
            foreach (var failure in invalid)
            {
                yield return failure;
            }

            var lists = new[]
            {
                new TargetList("user", "invaliduser", 1000, "User", users),
                new TargetList("party", "invalidparty", 100, "Department", departmentIds.Distinct().Cast<object>()),
                new TargetList("tag", "invalidtag", 100, "Tag", tagIds.Distinct().Cast<object>()),
            };
            if (lists.All(l => l.Items.Count == 0))
            {
                yield break;
            }

            var results = Batches.SendAsync(
                _connection.Client,
                "batch/invite",
                new Dictionary<string, object>(),
                lists,
                (_ => false, ""),
                what => WeComException.Rejected("InvitationRejected", Msg.Get("NotInvited", what), "batch/invite", Msg.Get("NotInvitedAdvice")),
                cancellationToken);
            await foreach (var result in results.ConfigureAwait(false))
            {
                yield return result;
            }
        }

        private static WeComUser Found(WeComUser user)
        {
            user.FoundInPlace = true;
            return user;
        }

        /// <summary>Sends a create or update; a mobile or email WeCom says is taken (60104, 60106) is answered with who has it, where that can be looked up.</summary>
        private async Task<JsonElement> SendAsync(string path, WeComUserChange user, CancellationToken cancellationToken)
        {
            try
            {
                return await _connection.Client.PostAsync(path, user.ToBody(), cancellationToken).ConfigureAwait(false);
            }
            catch (WeComException ex) when (ex.ErrCode == 60104 || ex.ErrCode == 60106)
            {
                throw await NameHolderAsync(ex, user, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<WeComException> NameHolderAsync(WeComException refused, WeComUserChange user, CancellationToken cancellationToken)
        {
            var (value, path, body) = refused.ErrCode == 60104
                ? (user.Mobile, "user/getuserid", new Dictionary<string, object> { ["mobile"] = user.Mobile ?? "" })
                : user.Email != null
                    ? (user.Email, "user/get_userid_by_email", new Dictionary<string, object> { ["email"] = user.Email, ["email_type"] = (int)WeComEmailType.Personal })
                    : (user.BizMail, "user/get_userid_by_email", new Dictionary<string, object> { ["email"] = user.BizMail ?? "", ["email_type"] = (int)WeComEmailType.Corporate });
            if (value is null)
            {
                return refused;
            }

            try
            {
                var holder = (await _connection.Client.PostAsync(path, body, cancellationToken).ConfigureAwait(false)).Str("userid");
                return holder is null || string.Equals(holder, user.UserId, StringComparison.OrdinalIgnoreCase) ? refused : refused.With($"'{value}' is already used by {holder}");
            }
            catch (WeComException)
            {
                // Outside this secret's visible scope, or not found by this kind of look-up: the refusal stands as WeCom gave it.
                return refused;
            }
        }

        private static (object, string) Describe(WeComUserChange user) => (user.UserId, $"User '{user.UserId}'");
    }
}
