# Nothing lost, nothing twice, nothing by accident: the sample corp behind the fault proxy (--proxy), which drops a
# request before forwarding it, drops its answer after forwarding it, or answers an errcode or HTTP status itself, and
# counts what reached the sandbox.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    function Start-ProxiedCorp([string[]] $Arguments = @()) {
        $script:server = Start-TestSandboxServer -Arguments (@('--proxy') + $Arguments)
        Connect-Corp | Out-Null
    }
    function Add-ProxyRule([string] $Rule) {
        Invoke-RestMethod -Method Post -Uri ([uri]::new($script:server.BaseUri, "/proxy/rule?rule=$([uri]::EscapeDataString($Rule))")) | Out-Null
    }
    # What -WhatIf printed (it goes to the host, so a transcript catches it).
    function Get-WhatIf([scriptblock] $Command) {
        $path = Join-Path $TestDrive "whatif-$([guid]::NewGuid()).txt"
        Start-Transcript -Path $path | Out-Null
        try { & $Command } finally { Stop-Transcript | Out-Null }
        Get-Content $path | Where-Object { $_ -like 'What if:*' }
    }
    function Get-ProxyStats { Invoke-RestMethod -Uri ([uri]::new($script:server.BaseUri, '/proxy/stats')) }

}

AfterAll {
    if ($script:server) { Stop-TestSandboxServer $script:server }
}

Describe 'Empty input selects nothing' -Tag CI {
    BeforeAll { Start-ProxiedCorp }
    AfterAll { Stop-TestSandboxServer $script:server; $script:server = $null }

    It 'reads nothing from an empty pipeline' {
        $empty = New-WeComTag -Name 空标签 -Confirm:$false
        Get-WeComTagMember -TagId $empty.TagId -MemberType Department | Get-WeComDepartment | Should -BeNullOrEmpty
        @() | Get-WeComUser | Should -BeNullOrEmpty
        @() | Get-WeComTag | Should -BeNullOrEmpty
        @() | Export-WeComUser | Should -BeNullOrEmpty
        (Get-ProxyStats).forwarded.'department/list' | Should -BeNullOrEmpty
    }

    It 'reads nothing when what was piped does not bind, and an arbitrary Id is no department' {
        [pscustomobject]@{ Name = '邮箱产品部' } | Get-WeComDepartment -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError*'
        ('邮箱产品部' | Get-WeComDepartment).Id | Should -Be 2 -Because 'a name is a department'
        Get-Process -Id $PID | Get-WeComUser -ErrorVariable err2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err2 | Should -Not -BeNullOrEmpty
        Get-Process -Id $PID | Remove-WeComDepartment -Confirm:$false -ErrorAction SilentlyContinue
        (Get-ProxyStats).forwarded.'department/delete' | Should -BeNullOrEmpty
    }

    It 'still takes departments and tagged departments by their DepartmentId' {
        (Get-WeComDepartment -Id 5 | Get-WeComUser).UserId | Should -Be (Get-WeComUser -DepartmentId 5).UserId
        [pscustomobject]@{ DepartmentId = '6' } | Get-WeComDepartment | ForEach-Object Id | Should -Be 6
    }
}

Describe 'Records piped back change only what is asked' -Tag CI {
    BeforeAll { Start-ProxiedCorp }
    AfterAll { Stop-TestSandboxServer $script:server; $script:server = $null }

    It 'sends only the fields named on the command line for a member read from WeCom' {
        $read = Get-WeComUser -UserId LiSi
        Set-WeComUser -UserId LiSi -Telephone 020-87654321 -Confirm:$false
        $read | Set-WeComUser -Position 首席 -Confirm:$false
        $now = Get-WeComUser -UserId LiSi
        $now.Telephone | Should -Be '020-87654321'
        $now.Position | Should -Be '首席'
    }

    It 'binds the fields of a CSV row by name' {
        'UserId,Position', 'LiSi,行一' | ConvertFrom-Csv | Set-WeComUser -Confirm:$false
        (Get-WeComUser -UserId LiSi).Position | Should -Be '行一'
    }

    It 'binds the fields of a database row by name, and refuses an object that is neither a record nor a row' {
        $table = [System.Data.DataTable]::new()
        $null = $table.Columns.Add('UserId'); $null = $table.Columns.Add('Position')
        $null = $table.Rows.Add('LiSi', '行二')
        $table.Rows | Set-WeComUser -Confirm:$false
        (Get-WeComUser -UserId LiSi).Position | Should -Be '行二'
        # A process's Id is no department: it is not renamed.
        Get-Process -Id $PID | Set-WeComDepartment -Name 改名 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InputNotADepartment,*'
        (Get-ProxyStats).forwarded.'department/update' | Should -BeNullOrEmpty
    }

    It 'sends only the fields named for a department read from WeCom' {
        $read = Get-WeComDepartment -Id 6
        Set-WeComDepartment -Id 6 -Name 改名组 -Confirm:$false
        $read | Set-WeComDepartment -Order 77 -Confirm:$false
        $now = Get-WeComDepartment -Id 6
        $now.Name | Should -Be '改名组'
        $now.Order | Should -Be 77
    }
}

Describe 'Writes whose answer is lost' -Tag CI {
    BeforeEach { Start-ProxiedCorp }
    AfterEach { Stop-TestSandboxServer $script:server; $script:server = $null }

    It 'never sends an invitation twice, and says its outcome is unknown' {
        Add-ProxyRule 'batch/invite=drop-answer*1'
        Send-WeComInvitation -UserId ZhangSan, LiSi -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 2
        $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'WriteOutcomeUnknown,*' }
        $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*invitations may have been sent*'
        (Get-ProxyStats).forwarded.'batch/invite' | Should -Be 1
    }

    It 'sends an unknown POST once, unless -Idempotent says it may go again' {
        Add-ProxyRule 'message/send=drop-answer*2'
        Invoke-WeComApi message/send -Body @{ touser = 'ZhangSan' } -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WriteOutcomeUnknown,*'
        (Get-ProxyStats).forwarded.'message/send' | Should -Be 1
        Invoke-WeComApi message/send -Body @{ touser = 'ZhangSan' } -Idempotent -Confirm:$false -ErrorAction SilentlyContinue
        (Get-ProxyStats).forwarded.'message/send' | Should -Be 3
    }

    It 'reports a create found in place as asked, returning what WeCom holds' {
        Add-ProxyRule 'user/create=drop-answer*1'
        $created = New-WeComUser -UserId lost.one -Name 失联 -Email lost.one@example.com -Department 5 -Confirm:$false -WarningVariable warn -WarningAction SilentlyContinue
        $created.FoundInPlace | Should -BeTrue
        $created.Status | Should -Be ([WeComPS.WeComUserStatus]::NotActivated)
        $warn[0] | Should -BeLike "*User 'lost.one' was already in WeCom as asked*"
        (Get-ProxyStats).forwarded.'user/create' | Should -Be 2
    }

    It 'keeps the refusal when the record found differs from the one asked for' {
        New-WeComUser -UserId twin -Name 双胞 -Email twin@example.com -Department 2 -Confirm:$false | Out-Null
        Add-ProxyRule 'user/create=drop*1'
        New-WeComUser -UserId twin -Name 双胞 -Email twin@example.com -Department 5 -Position CEO -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UserIdExists,*'
    }

    It 'says outcome unknown, not "run it again", when the retries run out after a lost answer' {
        Add-ProxyRule 'user/create=drop-answer*1'
        Add-ProxyRule 'user/create=drop'
        New-WeComUser -UserId lost.two -Name 失联二 -Email lost.two@example.com -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WriteOutcomeUnknown,*'
        $err[0].TargetObject | Should -Be 'lost.two'
    }

    It 'says outcome unknown when the read-back after a lost answer fails, and goes on with the other members' {
        Add-ProxyRule 'user/create=drop-answer*1'
        Add-ProxyRule 'user/get=http:500*5'
        $created = 'lost.three', 'fine.four' | ForEach-Object { [pscustomobject]@{ UserId = $_; Name = '成员'; Email = "$_@example.com" } } |
            New-WeComUser -MaxConcurrency 1 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $created.UserId | Should -Be 'fine.four'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WriteOutcomeUnknown,*'
        $err[0].Exception.Message | Should -BeLike '*reading back what WeCom holds failed*'
    }

    It 'never starts an import job twice when the answer to its start was lost' {
        Add-ProxyRule 'batch/syncuser=drop-answer*1'
        { [pscustomobject]@{ UserId = 'ZhangSan'; Position = '总经理' } | Sync-WeComUser -Confirm:$false } |
            Should -Throw -ErrorId 'WriteOutcomeUnknown,WeComPS.Commands.SyncWeComUserCommand'
        (Get-ProxyStats).forwarded.'batch/syncuser' | Should -Be 1
    }

    It 'never counts the delete of an id that does not exist as done' {
        Remove-WeComUser -UserId ghost -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UserNotFound,*'
        (Get-ProxyStats).forwarded.'user/batchdelete' | Should -BeNullOrEmpty
    }
}

Describe 'A failure that affects every item' -Tag CI {
    AfterEach { Stop-TestSandboxServer $script:server; $script:server = $null }

    It 'ends a 1,000-department walk at a token outage with one error and one retry budget' {
        Start-ProxiedCorp '--generate', 3000, '--departments', 1000
        Add-ProxyRule 'user/simplelist=errcode:40014+100'
        Add-ProxyRule 'gettoken=http:503'
        $ended = $null
        try { Get-WeComUser -Simple -ErrorVariable written -ErrorAction SilentlyContinue | Out-Null } catch { $ended = $_ }
        # One error: the one that ended the command, nothing written before it.
        @($written | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.Exception -ne $ended.Exception }).Count | Should -Be 0
        $ended.FullyQualifiedErrorId | Should -BeLike 'WeComUnreachable,*'
        $ended.Exception.Message | Should -Match '^Stopped \(\d+ of 1000 departments read, \d+ members returned; the result is incomplete\): No access token'
        (Get-ProxyStats).received.gettoken | Should -Be (1 + 5)
    }

    It 'ends the command at a 45009 block longer than the connection waits, without retrying within seconds' {
        Start-ProxiedCorp
        (Get-WeComConnection -Name $SandboxCorpId).Retry.MaxBlockWait = [timespan]::Zero
        Add-ProxyRule 'tag/list=errcode:45009'
        { Get-WeComTag } | Should -Throw -ErrorId 'RateLimited,WeComPS.Commands.GetWeComTagCommand'
        (Get-ProxyStats).received.'tag/list' | Should -Be 1
    }

    It 'ends a read whose endpoint stops answering with one error that says how far it got' {
        Start-ProxiedCorp '--generate', 2000, '--departments', 200
        Add-ProxyRule 'user/simplelist=http:502+40'
        $ended = $null
        try { Get-WeComUser -Simple -ErrorVariable written -ErrorAction SilentlyContinue | Out-Null } catch { $ended = $_ }
        $ended.FullyQualifiedErrorId | Should -BeLike 'WeComUnreachable,*'
        $ended.Exception.Message | Should -Match '^Stopped \(\d+ of 200 departments read'
        # Not one error per department: only those answered out of order around the cut come on their own.
        @($written | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.Exception -ne $ended.Exception }).Count | Should -BeLessOrEqual 10
    }
}

Describe 'Deletions need consent in proportion' -Tag CI {
    BeforeAll { Start-ProxiedCorp }
    AfterAll { Stop-TestSandboxServer $script:server; $script:server = $null }

    It 'stops a replace from a truncated file before sending, and -WhatIf shows the count against the limit' {
        $kept = Get-WeComUser | Select-Object -First 12 | Select-Object UserId
        $whatIf = Get-WhatIf { $kept | Sync-WeComUser -Replace -WhatIf -WarningVariable script:warn -WarningAction SilentlyContinue }
        $whatIf[0] | Should -BeLike '*(deletes 12 of 24 (limit 5: -MaxDelete 10% (at least 5)))*'
        $warn[0] | Should -BeLike '*12 of 24 (limit 5*'
        { $kept | Sync-WeComUser -Replace -Confirm:$false } | Should -Throw -ErrorId 'DeleteLimitExceeded,WeComPS.Commands.SyncWeComUserCommand'
        (Get-ProxyStats).forwarded.'batch/replaceuser' | Should -BeNullOrEmpty
    }

    It 'stops a bulk remove over the limit unless -MaxDelete raises it' {
        $six = 'WuJiu', 'ZhengShi', 'GuoWu', 'MaLiu', 'LuoQi', 'LiangBa'
        Get-WhatIf { $six | Remove-WeComUser -WhatIf } | Select-Object -Last 1 | Should -BeLike '*"6 member(s), against the delete limit -MaxDelete 10% (at least 5)*'
        { $six | Remove-WeComUser -Confirm:$false } | Should -Throw -ErrorId 'DeleteLimitExceeded,WeComPS.Commands.RemoveWeComUserCommand'
        (Get-ProxyStats).forwarded.'user/batchdelete' | Should -BeNullOrEmpty
        $six | Remove-WeComUser -MaxDelete 6 -Confirm:$false
        (Get-ProxyStats).forwarded.'user/batchdelete' | Should -Be 1
    }

    It 'refuses a -MaxDelete that is no limit before asking about any item' {
        $lines = Get-WhatIf { try { 'LiSi', 'WangWu' | Remove-WeComUser -MaxDelete lots -WhatIf } catch { $script:refused = $_ } }
        $refused.FullyQualifiedErrorId | Should -BeExactly 'InvalidMaxDelete,WeComPS.Commands.RemoveWeComUserCommand'
        $lines | Should -BeNullOrEmpty
        $lines = Get-WhatIf { try { Remove-WeComDepartment -Id 10 -MaxDelete 5x -WhatIf } catch { $script:refused = $_ } }
        $refused.FullyQualifiedErrorId | Should -BeExactly 'InvalidMaxDelete,WeComPS.Commands.RemoveWeComDepartmentCommand'
        $lines | Should -BeNullOrEmpty
    }

    It 'writes the job id where the admin sees it without -Verbose' {
        $info = Get-WeComUser -UserId ZhangSan | Select-Object UserId, @{ n = 'Position'; e = { '总经理' } } | Sync-WeComUser -Confirm:$false 6>&1
        ($info | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }).MessageData.Message | Should -BeLike '*Wait-WeComJob -JobId *'
    }
}

Describe 'No back door past ShouldProcess' -Tag CI {
    BeforeAll { Start-ProxiedCorp }
    AfterAll { Stop-TestSandboxServer $script:server; $script:server = $null }

    It 'gives the connection written to the pipeline no way to change the directory' {
        $connection = Get-WeComConnection | Select-Object -First 1
        $connection.PSObject.Properties.Name | Should -Not -Contain 'Users'
        $connection.PSObject.Properties.Name | Should -Not -Contain 'Departments'
        ($connection | Get-Member -MemberType Method).Name | Should -Not -Contain 'InvokeAsync'
        'WeComPS.ApiInvocation' -as [type] | Should -BeNullOrEmpty
        'WeComPS.UserOperations' -as [type] | Should -BeNullOrEmpty
    }
}

Describe 'Input rules are exact' -Tag CI {
    BeforeAll { Start-ProxiedCorp }
    AfterAll { Stop-TestSandboxServer $script:server; $script:server = $null }

    It 'refuses a trailing newline and control characters before sending' {
        New-WeComUser -UserId "nl.user`n" -Name 换行 -Email nl@example.com -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        New-WeComUser -UserId nl.user -Name 换行 -Email "nl@example.com`n" -Confirm:$false -ErrorVariable +err -ErrorAction SilentlyContinue
        New-WeComUser -UserId nl.user -Name "换`t行" -Email nl@example.com -Confirm:$false -ErrorVariable +err -ErrorAction SilentlyContinue
        New-WeComDepartment -Name "部`u{7}门" -ParentId 1 -Confirm:$false -ErrorVariable +err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 4
        (Get-ProxyStats).forwarded.'user/create' | Should -BeNullOrEmpty
        (Get-ProxyStats).forwarded.'department/create' | Should -BeNullOrEmpty
    }
}
